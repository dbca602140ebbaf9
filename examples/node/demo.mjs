// The main job on real data: prune Fashion-MNIST to a per-class coreset of per-example
// gradients (CRAIG's facility location), and show what it buys over a random subset of the
// same size: a weighted subset whose gradient sum is far closer to the full-data gradient.
// Then train softmax regression (L-BFGS) on all rows, on a random subset and on an AdaCore
// coreset, each subset finished with a few full-data iterations, and compare their times to
// the full run's test accuracy minus one point (selection included); the curves go to
// demo-training.html.
//
//   node examples/node/demo.mjs [--fraction 0.1] [--data DIR] [--chart demo-training.html]
//
// Reads the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) when it is
// installed, else the committed 2,000-image slice in examples/data/fashion-mnist-slice.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  selectCoreset, facilityLocationCost, gradientError, readIdxMatrix, readIdxLabels,
  AdaCoreSelector, createSelector, selectionErrors, releaseWorkers, softmaxCrossEntropyFromLogits,
} from '../../dist/adacore.mjs';
import {
  initBackend, learningCurveChart, train, trainSoftmaxRegression, softmaxLogitGradients, softmaxLogits, weightGradientSum,
} from '../../dist/adacore-tf.mjs';

const { values } = parseArgs({ options: {
  fraction: { type: 'string', default: '0.1' }, data: { type: 'string' }, chart: { type: 'string', default: 'demo-training.html' },
} });
const fraction = Number(values.fraction);
const debian = '/usr/share/datasets/fashion-mnist';
const slice = fileURLToPath(new URL('../data/fashion-mnist-slice/', import.meta.url));
const dir = values.data ?? (existsSync(join(debian, 'train-images-idx3-ubyte.gz')) ? debian : slice);

const images = await readIdxMatrix(readFileSync(join(dir, 'train-images-idx3-ubyte.gz')), { scale: 1 / 255, source: 'images' });
const labels = await readIdxLabels(readFileSync(join(dir, 'train-labels-idx1-ubyte.gz')), { source: 'labels' });
const classes = 10;
console.log(`Fashion-MNIST from ${dir}: ${images.rows} images of ${images.dim} pixels, ${classes} classes`);

let started = performance.now();
const model = trainSoftmaxRegression(images, labels, classes);
const { gradients, accuracy } = softmaxLogitGradients(model, images, labels);
console.log(`Softmax regression, one epoch of SGD: ${(accuracy * 100).toFixed(1)} % training accuracy (${((performance.now() - started) / 1000).toFixed(1)} s)`);
console.log(`Per-example gradients g_i = softmax(W x_i + b) - onehot(y_i): ${images.rows} vectors of ${classes} values`);

const coreset = await selectCoreset(gradients, { dim: classes, labels, fraction });
console.log(`\nSelected ${coreset.budget} of ${images.rows} examples (${(fraction * 100).toFixed(1)} % per class) in ${coreset.seconds.toFixed(2)} s, path ${coreset.path}, ${coreset.evaluations} gain evaluations`);

const batch = { gradients, rows: images.rows, dim: classes };
const random = await createSelector('random', { seed: 1 }).select(batch, { labels, budget: coreset.budget });
const all = Int32Array.from({ length: images.rows }, (_, i) => i);
const fullWeightGradient = weightGradientSum(images, gradients, classes, all, new Float32Array(images.rows).fill(1));
const relative = (a, b) => { let num = 0, den = 0; for (let k = 0; k < a.length; k++) { num += (a[k] - b[k]) ** 2; den += a[k] ** 2; } return Math.sqrt(num / den); };

console.log('\n                                facility-location   gradient error     gradient error');
console.log('                                cost L(S)           (logits)           (weights W)');
const rows = [];
for (const [name, subset] of [['coreset (facility location)', coreset], ['random subset, same size', random]]) {
  const cost = await facilityLocationCost(gradients, classes, subset.indices, 'euclidean', labels);
  const logitError = gradientError(gradients, classes, subset.indices, subset.weights);
  const weightError = relative(fullWeightGradient, weightGradientSum(images, gradients, classes, subset.indices, subset.weights));
  rows.push({ cost, logitError, weightError });
  console.log(`  ${name.padEnd(30)}${cost.toFixed(1).padStart(10)}${logitError.toExponential(2).padStart(19)}${weightError.toExponential(2).padStart(19)}`);
}
const [c, r] = rows;
console.log(`\nFrom ${(fraction * 100).toFixed(0)} % of the data, the coreset's weighted logit gradient is ${(r.logitError / c.logitError).toFixed(1)}x closer to the full`);
console.log(`one than a random subset's, and its facility-location cost ${(r.cost / c.cost).toFixed(1)}x lower. For the last layer's`);
console.log(`weights the ratio is ${(r.weightError / c.weightError).toFixed(1)}x: the 10-value logit gradient (CRAIG's proxy) does not see the pixels, so`);
console.log('selecting on it does not target that gradient; per-example last-layer gradients do.');
console.log('Gradient error: |full gradient - weighted subset gradient| / |full gradient| (docs/algorithms.md, section 6).');

// AdaCore: the same facility location on the gradients preconditioned by the Hessian diagonal,
// p(1 - p) of the softmax (the closed form from the model's logits), as a training loop would
// run it every few epochs: the partitioned optimizer (the selectors' default) on both cores.
const curvedBatch = softmaxCrossEntropyFromLogits(softmaxLogits(model, images), images.rows, classes, labels);
const adacore = new AdaCoreSelector({ threads: 2 });
started = performance.now();
const adacoreSelection = await adacore.select(curvedBatch, { labels, fraction });
const adacoreSeconds = (performance.now() - started) / 1000;
const craigSelection = await createSelector('craig', { threads: 2 }).select(curvedBatch, { labels, fraction });
releaseWorkers();
console.log(`\nAdaCore round (EMA of the Hessian diagonal, preconditioning, per-class facility location, ${adacoreSelection.threads} threads): ${adacoreSeconds.toFixed(2)} s`);
console.log('                                preconditioned gradient error   plain gradient error');
for (const [name, selection] of [['AdaCore', adacoreSelection], ['CRAIG', craigSelection], ['random subset, same size', random]]) {
  const errors = selectionErrors(curvedBatch, selection, adacore);
  console.log(`  ${name.padEnd(30)}${errors.preconditioned.toExponential(2).padStart(20)}${errors.plain.toExponential(2).padStart(23)}`);
}
console.log('AdaCore targets the preconditioned (Newton-like) gradient, CRAIG the plain one: each wins in its own space.');

// Training on the coreset: softmax regression by L-BFGS (full batch, where a step costs in
// proportion to the rows it touches). Each subset run trains 40 iterations on its 10 %, then
// finishes with 20 on all rows (`polish`); AdaCore selects after 2 full iterations (`warmup`:
// from the zero model every row of a class has the same logit gradient). Seconds include the
// selection and exclude the evaluations.
const testImages = await readIdxMatrix(readFileSync(join(dir, 't10k-images-idx3-ubyte.gz')), { scale: 1 / 255, source: 'test images' });
const testLabels = await readIdxLabels(readFileSync(join(dir, 't10k-labels-idx1-ubyte.gz')), { source: 'test labels' });
await initBackend(['wasm', 'cpu']);
const common = { x: images, y: labels, xTest: testImages, yTest: testLabels, model: 'softmax', optimizer: 'lbfgs', epochs: 40, evaluateEvery: 2 };
const full = await train({ ...common, method: 'full' });
const target = full.finalTestAccuracy - 0.01;
const runs = [
  ['full data', { ...full, secondsToTarget: full.curve.find((p) => p.testAccuracy >= target)?.seconds ?? null }],
  ['random 10 % + polish', await train({ ...common, method: 'random', fraction, polish: 20, targetAccuracy: target })],
  ['AdaCore 10 % + polish', await train({ ...common, method: 'adacore', fraction, warmup: 2, polish: 20, every: 1000, targetAccuracy: target })],
];
console.log(`\nTraining softmax regression by L-BFGS, target ${(target * 100).toFixed(1)} % test accuracy (full data's final minus one point):`);
console.log('                          time to target   final test accuracy   selection');
for (const [name, run] of runs) {
  const time = run.secondsToTarget == null ? 'never'.padStart(12) : `${run.secondsToTarget.toFixed(2)} s`.padStart(12);
  const ratio = run.secondsToTarget && runs[0][1].secondsToTarget ? ` (${(runs[0][1].secondsToTarget / run.secondsToTarget).toFixed(1)}x full)` : '';
  console.log(`  ${name.padEnd(24)}${time}${ratio.padEnd(13)}${`${(run.finalTestAccuracy * 100).toFixed(1)} %`.padStart(12)}${`${run.selectionSeconds.toFixed(2)} s`.padStart(14)}`);
}
writeFileSync(values.chart, learningCurveChart(runs.map(([label, run]) => ({ label, curve: run.curve, secondsToTarget: run.secondsToTarget })), {
  title: 'Softmax regression on Fashion-MNIST, L-BFGS', targetAccuracy: target, subtitle: `${images.rows} training images; seconds include selection`,
}));
console.log(`Learning curves: ${values.chart}`);
