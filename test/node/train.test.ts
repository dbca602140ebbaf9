// The trainer (adacore/tf's train) on small data: each solver reaches the known optimum of a
// small convex problem, coreset weights reach the loss, selection runs on schedule, a seed
// fixes the curve, no tensor leaks, and bad input gives errors that name the argument.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, beforeAll } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as tfl from '../../dist/adacore-tf.mjs';
// @ts-ignore: the bundle is plain JS
import * as core from '../../dist/adacore.mjs';
import { gaussian, random } from '../shared/data.ts';

const lib = { ...(core as any), ...(tfl as any) };

/** Two or more Gaussian classes in `dim` dimensions, with class 0 dense and duplicated (a redundant cluster). */
function blobs(rows: number, dim: number, classes: number, seed: number): { x: Float32Array; y: Int32Array } {
  const uniform = random(seed);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, () => 2 * (uniform() - 0.5)));
  const x = new Float32Array(rows * dim);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % classes;
    y[i] = c;
    for (let j = 0; j < dim; j++) x[i * dim + j] = centres[c][j] + (c === 0 && i % 4 !== 0 ? 0.05 : 1) * normal();
  }
  return { x, y };
}

beforeAll(async () => { await lib.initBackend(['wasm']); });

const binary = blobs(240, 4, 2, 1);
const base = { x: binary.x, y: binary.y, dim: 4, model: 'logistic', l2: 1e-2 };

describe('train: solvers on a small convex problem', () => {
  let optimum: number;
  beforeAll(async () => {
    optimum = (await lib.train({ ...base, optimizer: 'newton', epochs: 25 })).finalLoss;
  });

  it('Newton reaches the optimum in a handful of iterations (exact Hessian), and L-BFGS and gradient descent get there', async () => {
    const newton = await lib.train({ ...base, optimizer: 'newton', epochs: 6 });
    expect(Math.abs(newton.finalLoss - optimum)).toBeLessThan(1e-6);
    const lbfgs = await lib.train({ ...base, optimizer: 'lbfgs', epochs: 40 });
    expect(Math.abs(lbfgs.finalLoss - optimum) / optimum).toBeLessThan(1e-4);
    const gd = await lib.train({ ...base, optimizer: 'gd', learningRate: 2, epochs: 400 });
    expect(Math.abs(gd.finalLoss - optimum) / optimum).toBeLessThan(1e-3);
  });

  it('Newton-CG (softmax regression, Hessian-vector products) reaches the optimum L-BFGS finds', async () => {
    const three = blobs(300, 5, 3, 2);
    const run = (optimizer: string, epochs: number) => lib.train({ x: three.x, y: three.y, dim: 5, model: 'softmax', l2: 1e-2, optimizer, epochs });
    const newton = await run('newton', 12);
    const lbfgs = await run('lbfgs', 80);
    expect(Math.abs(newton.finalLoss - lbfgs.finalLoss) / lbfgs.finalLoss).toBeLessThan(1e-4);
  });

  it('SGD, Adam, AdaHessian and incremental gradient come close to the optimum', async () => {
    const sgd = await lib.train({ ...base, optimizer: 'sgd', batchSize: 16, learningRate: 0.2, momentum: 0.9, schedule: 'exponential', decay: 0.9, epochs: 40 });
    const adam = await lib.train({ ...base, optimizer: 'adam', batchSize: 16, learningRate: 0.05, schedule: 'exponential', decay: 0.9, epochs: 40 });
    const incremental = await lib.train({ ...base, optimizer: 'incremental', learningRate: 0.05, schedule: 'exponential', decay: 0.85, epochs: 30 });
    const adahessian = await lib.train({ ...base, optimizer: 'adahessian', batchSize: 16, learningRate: 0.1, schedule: 'exponential', decay: 0.9, epochs: 40 });
    for (const [name, run] of [['sgd', sgd], ['adam', adam], ['incremental', incremental], ['adahessian', adahessian]] as const) {
      expect(Math.abs(run.finalLoss - optimum) / optimum, name).toBeLessThan(0.02);
    }
  });
});

describe('train: methods', () => {
  it('a coreset lowers the loss, its weights reach the loss (an unweighted run ends elsewhere, farther from the optimum), and selection runs on schedule', async () => {
    const full = await lib.train({ ...base, optimizer: 'lbfgs', epochs: 40 });
    const selections: number[] = [];
    const options = { ...base, method: 'craig', fraction: 0.1, optimizer: 'lbfgs', epochs: 6, every: 2, warmup: 1, iterations: 8 };
    const weighted = await lib.train({ ...options, callbacks: { onSelection: ({ epoch }: { epoch: number }) => selections.push(epoch) } });
    const unweighted = await lib.train({ ...options, weighted: false });
    expect(selections).toEqual([0, 2, 4]);
    expect(weighted.curve.map((p: { phase: string }) => p.phase)).toEqual(['full', 'warmup', 'subset', 'subset', 'subset', 'subset', 'subset']);
    expect(weighted.finalLoss).toBeLessThan(weighted.curve[0].loss);
    expect(weighted.curve[2].rows).toBe(24);
    expect(weighted.finalLoss).not.toBeCloseTo(unweighted.finalLoss, 6);
    expect(weighted.finalLoss - full.finalLoss).toBeLessThan(unweighted.finalLoss - full.finalLoss);
    expect(weighted.selectionSeconds).toBeGreaterThan(0);
  });

  it('random is one fixed subset, random-epoch draws anew, adacore selects; polish finishes on all rows', async () => {
    const rowsSeen = async (method: string) => {
      const subsets: number[] = [];
      await lib.train({ ...base, method, fraction: 0.25, optimizer: 'sgd', batchSize: 8, epochs: 3, callbacks: { onSelection: () => subsets.push(1) } });
      return subsets.length;
    };
    expect(await rowsSeen('random')).toBe(1);
    expect(await rowsSeen('random-epoch')).toBe(3);
    expect(await rowsSeen('adacore')).toBe(3);
    const polished = await lib.train({ ...base, method: 'adacore', fraction: 0.1, optimizer: 'lbfgs', epochs: 2, iterations: 5, polish: 3 });
    expect(polished.curve.slice(-3).map((p: { phase: string; rows: number }) => [p.phase, p.rows])).toEqual([['polish', 240], ['polish', 240], ['polish', 240]]);
  });

  it('the same seed gives the same curve (an MLP with SGD on an AdaCore coreset); another seed another one', async () => {
    const three = blobs(150, 6, 3, 4);
    const run = (seed: number) => lib.train({ x: three.x, y: three.y, dim: 6, model: 'mlp', hidden: [8], method: 'adacore', fraction: 0.3, optimizer: 'sgd', batchSize: 10, epochs: 3, seed });
    const strip = (r: { curve: { seconds: number; selectionSeconds: number }[] }) => r.curve.map(({ seconds, selectionSeconds, ...rest }) => rest);
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(strip(a)).toEqual(strip(b));
    expect(strip(a)).not.toEqual(strip(c));
  });

  it('no tensors leak across epochs and rounds, or after the run', async () => {
    const tf = lib.getTf();
    const before = tf.memory().numTensors;
    for (const optimizer of ['sgd', 'adam', 'adahessian', 'lbfgs', 'newton', 'incremental', 'gd']) {
      const counts: number[] = [];
      await lib.train({ ...base, method: 'adacore', fraction: 0.5, optimizer, batchSize: 8, epochs: 4, callbacks: { onEpochEnd: () => counts.push(tf.memory().numTensors) } });
      expect(new Set(counts).size, `${optimizer}: ${counts}`).toBe(1);
      expect(tf.memory().numTensors, optimizer).toBe(before);
    }
    const three = blobs(90, 4, 3, 9);
    await lib.train({ x: three.x, y: three.y, dim: 4, model: 'mlp', hidden: [6, 5], method: 'craig', fraction: 0.5, optimizer: 'adam', batchSize: 8, epochs: 2, source: 'last-layer' });
    await lib.train({ x: three.x, y: three.y, dim: 4, model: 'mlp', hidden: [6], method: 'adacore', fraction: 0.5, optimizer: 'adahessian', batchSize: 8, epochs: 2 });
    expect(tf.memory().numTensors, 'mlp').toBe(before);
  });

  it('the curve counts wall time with selection, and reports time to a target accuracy', async () => {
    const run = await lib.train({ ...base, xTest: binary.x, yTest: binary.y, method: 'craig', fraction: 0.2, optimizer: 'lbfgs', epochs: 5, targetAccuracy: 0.6 });
    const seconds = run.curve.map((p: { seconds: number }) => p.seconds);
    expect(seconds).toEqual([...seconds].sort((p, q) => p - q));
    expect(run.curve.every((p: { seconds: number; selectionSeconds: number }) => p.selectionSeconds <= p.seconds + 1e-9)).toBe(true);
    expect(run.secondsToTarget).not.toBeNull();
    expect(run.finalTestAccuracy).toBeGreaterThan(0.6);
    const never = await lib.train({ ...base, xTest: binary.x, yTest: binary.y, optimizer: 'gd', learningRate: 1e-6, epochs: 2, targetAccuracy: 0.999 });
    expect(never.secondsToTarget).toBeNull();
  });
});

describe('train: abort, custom models, and subsets that train as well as random ones', () => {
  it('an AbortSignal stops the run with an AbortError and leaves no tensors behind', async () => {
    const tf = lib.getTf();
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    await expect(lib.train({
      ...base, method: 'adacore', fraction: 0.5, optimizer: 'sgd', batchSize: 8, epochs: 50, signal: controller.signal,
      callbacks: { onEpochEnd: ({ epoch }: { epoch: number }) => { if (epoch >= 2) controller.abort(); } },
    })).rejects.toThrow(/abort/i);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a caller's { logits, variables } model trains in place, as the built-in softmax regression does", async () => {
    const tf = lib.getTf();
    const w = tf.variable(tf.zeros([4, 2]));
    const b = tf.variable(tf.zeros([2]));
    const options = { ...base, optimizer: 'adam', learningRate: 0.05, batchSize: 16, epochs: 10 };
    const custom = await lib.train({ ...options, model: { logits: (x: unknown) => tf.add(tf.matMul(x, w), b), variables: [w, b] } });
    const builtIn = await lib.train({ ...options, model: 'softmax' });
    expect(custom.finalLoss).toBeLessThan(custom.curve[0].loss * 0.8);
    expect(Math.abs(custom.finalLoss - builtIn.finalLoss)).toBeLessThan(1e-5);
    expect(Math.max(...Array.from(w.dataSync() as Float32Array).map(Math.abs))).toBeGreaterThan(0.1);
    w.dispose(); b.dispose();
  });

  // The defaults (the sketch source and shared preconditioning for logistic regression) are held
  // to this: on T-shirt vs shirt, where AdaCore on logit gradients once trained to 57 to 76 %
  // against random's 78 to 81 %, its 10 % coresets train about as well as random 10 % subsets.
  const FASHION = '/usr/share/datasets/fashion-mnist';
  it.skipIf(!existsSync(`${FASHION}/train-images-idx3-ubyte.gz`))('Fashion-MNIST T-shirt vs shirt: AdaCore and CRAIG 10 % coresets train within a point of random 10 % subsets (median of 3 seeds, L-BFGS)', async () => {
    const pick = async (images: string, labels: string) => {
      const x = await lib.readIdxMatrix(readFileSync(`${FASHION}/${images}`), { scale: 1 / 255 });
      const y = await lib.readIdxLabels(readFileSync(`${FASHION}/${labels}`));
      const rows: number[] = [];
      for (let i = 0; i < y.length; i++) if (y[i] === 0 || y[i] === 6) rows.push(i);
      const data = new Float32Array(rows.length * 784);
      rows.forEach((r, t) => data.set(x.data.subarray(r * 784, (r + 1) * 784), t * 784));
      return { x: data, y: Int32Array.from(rows, (r) => (y[r] === 6 ? 1 : 0)) };
    };
    const train = await pick('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz');
    const test = await pick('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
    const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[1];
    const accuracy = async (method: string) => median(await Promise.all([0, 1, 2].map(async (seed) => (await lib.train({
      x: train.x, y: train.y, dim: 784, xTest: test.x, yTest: test.y, model: 'logistic', method, fraction: 0.1, every: 1000,
      optimizer: 'lbfgs', epochs: 40, seed,
    })).finalTestAccuracy)));
    const random = await accuracy('random');
    expect(await accuracy('adacore')).toBeGreaterThan(random - 0.01);
    expect(await accuracy('craig')).toBeGreaterThan(random - 0.01);
  });
});

describe('train: bad input', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['zero learning rate', { learningRate: 0 }, /^learningRate: expected a positive number, got 0/],
    ['negative learning rate', { learningRate: -1 }, /^learningRate: /],
    ['zero epochs', { epochs: 0 }, /^epochs: expected a positive integer, got 0/],
    ['fraction 0', { method: 'craig', fraction: 0 }, /^fraction: expected a number in \(0, 1\]/],
    ['fraction 1.5', { method: 'random', fraction: 1.5 }, /^fraction: /],
    ['unknown method', { method: 'herding' }, /^method: unknown method "herding"/],
    ['unknown optimizer', { optimizer: 'rmsprop' }, /^optimizer: unknown optimizer "rmsprop"/],
    ['batch larger than the coreset', { method: 'random', fraction: 0.05, optimizer: 'sgd', batchSize: 64 }, /^batchSize: 64 is more than the 12 rows in play/],
    ['logistic with three classes', { y: Int32Array.from({ length: 240 }, (_, i) => i % 3) }, /^model: logistic regression is binary, but the labels have 3 classes/],
    ['labels of the wrong length', { y: new Int32Array(10) }, /^y: has 10 labels but x has 240 rows/],
    ['a NaN feature', { x: Float32Array.from(binary.x, (v, i) => (i === 9 ? NaN : v)) }, /^x: row 2, column 1 is NaN/],
    ['full-batch solver on an MLP', { model: 'mlp', optimizer: 'newton' }, /^optimizer: newton needs a linear model/],
    ['test rows without test labels', { xTest: binary.x }, /^yTest: give xTest and yTest together/],
    ['test rows of another width', { xTest: { data: binary.x.subarray(0, 30), rows: 10, dim: 3 }, yTest: new Int32Array(10) }, /^xTest: rows of 3 values, but x has 4/],
  ];
  for (const [name, options, message] of cases) {
    it(name, async () => {
      await expect(lib.train({ ...base, optimizer: 'lbfgs', epochs: 2, ...options })).rejects.toThrow(message);
    });
  }

  it('a model whose output has the wrong shape', async () => {
    const tf = lib.getTf();
    const w = tf.variable(tf.zeros([4, 3]));
    await expect(lib.train({ ...base, model: { logits: (x: unknown) => tf.matMul(x, w), variables: [w] }, optimizer: 'sgd', batchSize: 8, epochs: 1 }))
      .rejects.toThrow(/^model: its output has shape \[1, 3\] for one row; expected \[1, 2\]/);
    w.dispose();
  });

  it('a diverging run stops with an error, not NaN', async () => {
    const wild = Float32Array.from(binary.x, (v) => v * 1e6);
    await expect(lib.train({ ...base, x: wild, optimizer: 'sgd', batchSize: 8, learningRate: 1e6, l2: 1e3, epochs: 20 }))
      .rejects.toThrow(/the run diverged; lower the learning rate/);
  });
});
