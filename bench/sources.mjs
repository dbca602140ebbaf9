// Which gradient source should the trainer's AdaCore cluster? Binary logistic regression on
// Fashion-MNIST T-shirt vs shirt (classes 0 and 6; 12,000 training images), 10 % subsets, L-BFGS
// for 40 iterations, three seeds: each source's final test accuracy and selection time, against
// a random subset of the same size. Prints JSON.
//   npm run build && node bench/sources.mjs [--seeds 3] [--model logistic|mlp]
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { readIdxLabels, readIdxMatrix } from '../dist/adacore.mjs';
import { initBackend, train } from '../dist/adacore-tf.mjs';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '3' }, model: { type: 'string', default: 'logistic' } } });
const FASHION = '/usr/share/datasets/fashion-mnist';
const load = async (name, scale) => (scale ? readIdxMatrix : readIdxLabels)(readFileSync(`${FASHION}/${name}`), scale ? { scale } : {});
const binary = (x, y, a, b) => {
  const rows = [];
  for (let i = 0; i < y.length; i++) if (y[i] === a || y[i] === b) rows.push(i);
  const data = new Float32Array(rows.length * x.dim);
  rows.forEach((r, t) => data.set(x.data.subarray(r * x.dim, (r + 1) * x.dim), t * x.dim));
  return { x: data, y: Int32Array.from(rows, (r) => (y[r] === b ? 1 : 0)) };
};
const trainSet = binary(await load('train-images-idx3-ubyte.gz', 1 / 255), await load('train-labels-idx1-ubyte.gz'), 0, 6);
const testSet = binary(await load('t10k-images-idx3-ubyte.gz', 1 / 255), await load('t10k-labels-idx1-ubyte.gz'), 0, 6);
const { backend } = await initBackend(['wasm']);

const mlp = values.model === 'mlp';
const common = {
  x: trainSet.x, y: trainSet.y, dim: 784, xTest: testSet.x, yTest: testSet.y, model: mlp ? 'mlp' : 'logistic', hidden: [32],
  fraction: 0.1, optimizer: mlp ? 'adam' : 'lbfgs', epochs: mlp ? 30 : 40, learningRate: mlp ? 0.003 : 1, batchSize: 64, every: mlp ? 5 : 1000,
};
const variants = [
  { name: 'random', method: 'random' },
  ...(mlp ? ['logits', 'last-layer', 'hutchinson'] : ['logits', 'sketch', 'parameters', 'hutchinson']).map((source) => ({ name: `adacore, ${source}`, method: 'adacore', source })),
];
const runs = [];
for (let seed = 0; seed < Number(values.seeds); seed++) {
  for (const v of variants) {
    const result = await train({ ...common, method: v.method, source: v.source ?? 'auto', seed });
    runs.push({ variant: v.name, seed, finalTestAccuracy: result.finalTestAccuracy, selectionSeconds: Number(result.selectionSeconds.toFixed(3)), totalSeconds: Number(result.totalSeconds.toFixed(3)) });
    console.error(JSON.stringify(runs[runs.length - 1]));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = variants.map((v) => {
  const rs = runs.filter((r) => r.variant === v.name);
  return { variant: v.name, medianTestAccuracy: median(rs.map((r) => r.finalTestAccuracy)), range: [Math.min(...rs.map((r) => r.finalTestAccuracy)), Math.max(...rs.map((r) => r.finalTestAccuracy))], medianSelectionSeconds: median(rs.map((r) => r.selectionSeconds)) };
});
console.log(JSON.stringify({ environment: { node: process.version, backend, cpu: cpus()[0]?.model }, task: `${common.model}, Fashion-MNIST 0 vs 6, 10 %, ${common.optimizer}`, runs, summary }, null, 1));
