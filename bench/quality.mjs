// AdaCore vs CRAIG vs random on Fashion-MNIST: relative gradient error E(S, gamma) of each
// method's weighted coreset at 1, 5, 10 and 20 % per class, against the plain full gradient
// and against AdaCore's preconditioned one, plus the time of one selection round. Prints JSON.
//   npm run build && node bench/quality.mjs
// Gradients: softmax cross-entropy w.r.t. the logits of a softmax-regression model trained one
// epoch on the full training set (examples/node/softmax.mjs), closed form
// (src/adacore/closed-form.ts): g = p - y, diag(H) = p(1 - p).
import { readFileSync } from 'node:fs';
import {
  AdaCoreSelector, createSelector, readIdxLabels, readIdxMatrix, selectionErrors, softmaxCrossEntropyFromLogits,
} from '../dist/adacore.mjs';
import { trainSoftmax } from '../examples/node/softmax.mjs';

const FASHION = '/usr/share/datasets/fashion-mnist';
const images = await readIdxMatrix(readFileSync(`${FASHION}/train-images-idx3-ubyte.gz`), { scale: 1 / 255 });
const labels = await readIdxLabels(readFileSync(`${FASHION}/train-labels-idx1-ubyte.gz`));
const classes = 10;
const model = trainSoftmax(images, labels, classes);

function logitsOf(model, images) {
  const logits = new Float32Array(images.rows * classes);
  for (let i = 0; i < images.rows; i++) {
    for (let c = 0; c < classes; c++) logits[i * classes + c] = model.bias[c];
    for (let j = 0; j < images.dim; j++) {
      const x = images.data[i * images.dim + j];
      if (x !== 0) for (let c = 0; c < classes; c++) logits[i * classes + c] += x * model.weights[j * classes + c];
    }
  }
  return logits;
}

const logits = logitsOf(model, images);
const t0 = performance.now();
const batch = softmaxCrossEntropyFromLogits(logits, images.rows, classes, labels);
const gradientSeconds = (performance.now() - t0) / 1000;
let correct = 0;
for (let i = 0; i < images.rows; i++) {
  let best = 0;
  for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
  if (best === labels[i]) correct++;
}

const round = (x) => Number(x.toPrecision(4));
const fractions = [0.01, 0.05, 0.1, 0.2];
const results = [];
for (const fraction of fractions) {
  // one AdaCore selector per fraction: its first round is the curvature every method is measured with
  const adacore = new AdaCoreSelector();
  const row = { fraction };
  for (const method of ['adacore', 'craig', 'random']) {
    const selector = method === 'adacore' ? adacore : createSelector(method, { seed: 1 });
    const selection = await selector.select(batch, { labels, fraction });
    const errors = selectionErrors(batch, selection, adacore);
    row[method] = { plain: round(errors.plain), preconditioned: round(errors.preconditioned), seconds: round(selection.seconds) };
  }
  row.adacoreLowestPreconditioned = row.adacore.preconditioned < Math.min(row.craig.preconditioned, row.random.preconditioned);
  results.push(row);
}

console.log(JSON.stringify({
  environment: { runtime: 'node', version: process.version, threads: 1, gradients: 'closed form, plain TypeScript (tfjs gradient sources: not yet)' },
  model: { kind: 'softmax regression, one epoch of SGD (batch 100, rate 0.5)', trainingAccuracy: round(correct / images.rows) },
  round: {
    task: 'one AdaCore round over 60,000 examples: closed-form gradients + Hessian diagonals, EMA update, per-class facility location at 10 % on 10-value vectors',
    gradientAndHessianSeconds: round(gradientSeconds),
    selectionSeconds: results.find((r) => r.fraction === 0.1).adacore.seconds,
  },
  errors: results,
}, null, 2));
