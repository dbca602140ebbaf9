// AdaCore vs CRAIG vs random on Fashion-MNIST: relative gradient error E(S, gamma) of each
// method's weighted coreset at 1, 5, 10 and 20 % per class, against the plain full gradient
// and against AdaCore's preconditioned one. Prints JSON.
//   npm run build && node bench/quality.mjs      (or npm run bench:quality)
// Gradients: softmax cross-entropy w.r.t. the logits of a softmax-regression model trained one
// epoch on the full training set, from adacore/tf on tfjs's wasm backend: g = p - y,
// diag(H) = p(1 - p). Selectors run with their defaults (the partitioned optimizer); AdaCore
// with exact lazy greedy is listed too, to show what the partitioned optimizer costs.
import { AdaCoreSelector, createSelector, selectionErrors } from '../dist/adacore.mjs';
import { initBackend, softmaxCrossEntropy } from '../dist/adacore-tf.mjs';
import { fashionLogits, round } from './fashion-logits.mjs';

const { logits, labels, rows, trainingAccuracy } = await fashionLogits();
const { backend } = await initBackend(['wasm']);
const batch = await softmaxCrossEntropy({ logits, labels });

const fractions = [0.01, 0.05, 0.1, 0.2];
const results = [];
for (const fraction of fractions) {
  // one AdaCore selector per fraction: its first round is the curvature every method is measured with
  const adacore = new AdaCoreSelector();
  const row = { fraction };
  const methods = {
    adacore: adacore,
    adacoreLazy: new AdaCoreSelector({ optimizer: 'lazy' }),
    craig: createSelector('craig'),
    random: createSelector('random', { seed: 1 }),
  };
  for (const [name, selector] of Object.entries(methods)) {
    const selection = await selector.select(batch, { labels, fraction });
    const errors = selectionErrors(batch, selection, adacore);
    row[name] = { plain: round(errors.plain, 3), preconditioned: round(errors.preconditioned, 3), seconds: round(selection.seconds, 3) };
  }
  row.adacoreLowestPreconditioned = row.adacore.preconditioned < Math.min(row.craig.preconditioned, row.random.preconditioned);
  results.push(row);
}

console.log(JSON.stringify({
  environment: { runtime: 'node', version: process.version, tfjsBackend: backend, threads: 1 },
  model: { kind: 'softmax regression, one epoch of SGD (batch 100, rate 0.5)', rows, trainingAccuracy: round(trainingAccuracy) },
  gradients: `adacore/tf softmaxCrossEntropy on tfjs ${backend}: logit gradients p - y and Hessian diagonals p(1 - p)`,
  errors: results,
}, null, 2));
