// Long runs with flat memory: many AdaCore selection rounds with a tfjs gradient source, then a
// long train() run that re-selects a coreset every epoch, on Fashion-MNIST (Debian's
// dataset-fashion-mnist, else the committed slice). At checkpoints it measures what a leak
// would grow: tfjs's tensors (tf.memory()), the kernels' WebAssembly memories (every live
// instance's, found by watching WebAssembly.instantiate), tfjs's own wasm heap, the JS heap and
// ArrayBuffers after a full GC, and the process's OS threads (Workers). Prints one JSON document:
// the checkpoints, and per phase and quantity the growth from the first tenth to the end, the
// least-squares slope over that span and a verdict (flat / growing). docs/reliability.md,
// "Long runs", quotes a full run; test/node/long-run.test.ts runs a short one.
//   npm run build && npm run bench:long [-- --rounds 200 --epochs 50 --rows 10000 --slice --threads 1]
// Runs itself again under --expose-gc when started without it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

// Every WebAssembly memory an instance exports, held weakly: after a GC, the live ones are the
// memory in use. The kernels' instances are the ones exporting heapBase (src/kernels/wasm.ts).
const memories = { kernels: [], other: [] };
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...args) {
  const result = await instantiate.apply(this, args);
  const instance = result instanceof WebAssembly.Instance ? result : result.instance;
  const memory = instance.exports.memory;
  if (memory instanceof WebAssembly.Memory) (typeof instance.exports.heapBase === 'function' ? memories.kernels : memories.other).push(new WeakRef(memory));
  return result;
};

const { AdaCoreSelector, readIdxLabels, readIdxMatrix, releaseWorkers, simdSupported } = await import('../dist/adacore.mjs');
const { getTf, initBackend, lastLayer, train } = await import('../dist/adacore-tf.mjs');

const { values } = parseArgs({ options: {
  rounds: { type: 'string', default: '200' }, epochs: { type: 'string', default: '50' },
  rows: { type: 'string', default: '10000' }, 'test-rows': { type: 'string', default: '2000' },
  hidden: { type: 'string', default: '32' }, threads: { type: 'string', default: '1' },
  backend: { type: 'string', default: 'wasm' }, slice: { type: 'boolean', default: false },
  checkpoints: { type: 'string', default: '20' },
} });
const ROUNDS = Number(values.rounds), EPOCHS = Number(values.epochs), HIDDEN = Number(values.hidden);
const THREADS = Number(values.threads), CHECKPOINTS = Number(values.checkpoints);

const debian = '/usr/share/datasets/fashion-mnist';
const slice = fileURLToPath(new URL('../examples/data/fashion-mnist-slice/', import.meta.url));
const dir = !values.slice && existsSync(join(debian, 'train-images-idx3-ubyte.gz')) ? debian : slice;
const load = async (name, rows, scale) => {
  const bytes = readFileSync(join(dir, name));
  if (scale === undefined) return (await readIdxLabels(bytes)).subarray(0, rows);
  const m = await readIdxMatrix(bytes, { scale });
  const n = Math.min(rows, m.rows);
  return { data: m.data.subarray(0, n * m.dim), rows: n, dim: m.dim };
};
const images = await load('train-images-idx3-ubyte.gz', Number(values.rows), 1 / 255);
const labels = await load('train-labels-idx1-ubyte.gz', images.rows);
const testImages = await load('t10k-images-idx3-ubyte.gz', Number(values['test-rows']), 1 / 255);
const testLabels = await load('t10k-labels-idx1-ubyte.gz', testImages.rows);

const { backend } = await initBackend([values.backend]);
const tf = getTf();

/** Bytes of the live memories in `list`, after a full GC (WeakRefs clear only between jobs). */
async function live(list) {
  let bytes = 0, count = 0;
  for (const ref of list) {
    const memory = ref.deref();
    if (memory !== undefined) { bytes += memory.buffer.byteLength; count++; }
  }
  return { bytes, count };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
let measuring = 0;

/** What a leak would grow, measured after a full GC. */
async function measure(at) {
  const started = performance.now();
  for (let i = 0; i < 3; i++) { globalThis.gc(); await settle(); }
  const { numTensors, numBytes } = tf.memory();
  const kernels = await live(memories.kernels);
  const usage = process.memoryUsage();
  const point = {
    at, numTensors, tensorBytes: numBytes, kernelWasmBytes: kernels.bytes, kernelInstances: kernels.count,
    tfWasmBytes: tf.getBackend() === 'wasm' ? tf.backend().wasm.HEAPU8.buffer.byteLength : 0,
    heapUsed: usage.heapUsed, arrayBuffers: usage.arrayBuffers, rss: usage.rss,
    osThreads: existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : null,
  };
  measuring += performance.now() - started;
  return point;
}

/**
 * How much each quantity may grow and still count as flat. Tensors, OS threads and the wasm
 * memories: nothing at all (every round has the same sizes). The JS heap and ArrayBuffers: 1 MiB,
 * above what a GC leaves from run to run (compiled code drifts by a few hundred KB) and far below
 * one batch kept per round (a lastLayer batch of 10,000 x 330 floats is 13 MB; 2,000 rows, 2.6 MB).
 * With Workers, the rows each round sends them (`roundBytes`) wait there for the Workers' own
 * collections, which a GC here does not start: ArrayBuffers then rise and fall by several rounds'
 * worth, and may grow by four rounds' worth.
 */
function tolerances(threads, roundBytes) {
  return {
    numTensors: 0, tensorBytes: 0, kernelWasmBytes: 0, kernelInstances: 0, tfWasmBytes: 0,
    heapUsed: 1 << 20, arrayBuffers: threads > 1 ? Math.max(1 << 20, 4 * roundBytes) : 1 << 20, osThreads: 0,
  };
}

/**
 * Per quantity, from the checkpoint at the first tenth (at least round or epoch 2: AdaCore
 * allocates its second state buffer in round 2) to the end: the growth, the least-squares slope
 * per round or epoch, the rise of the highest value (the last half's peak over the first half's)
 * and a verdict. Growing: the growth, the fitted line's rise and the peak's rise all exceed the
 * tolerance (a leak raises all three; a sawtooth of collections does not).
 */
function trends(points, span, tolerance) {
  const from = points.findIndex((p) => p.at >= firstTenth(span));
  const tail = points.slice(from);
  const result = {};
  for (const [key, allowed] of Object.entries(tolerance)) {
    if (tail[0][key] === null) continue;
    const xs = tail.map((p) => p.at), ys = tail.map((p) => p[key]);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < xs.length; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; }
    const slope = sxx > 0 ? sxy / sxx : 0;
    const growth = ys[ys.length - 1] - ys[0];
    const half = Math.ceil(ys.length / 2);
    const peakGrowth = Math.max(...ys.slice(half)) - Math.max(...ys.slice(0, half));
    const rise = slope * (xs[xs.length - 1] - xs[0]);
    const verdict = growth > allowed && rise > allowed && peakGrowth > allowed ? 'growing' : 'flat';
    result[key] = { firstTenth: ys[0], end: ys[ys.length - 1], growth, slopePerUnit: Math.round(slope * 100) / 100, peakGrowth, tolerance: allowed, verdict };
  }
  return result;
}

/** The round or epoch where the comparison starts: the first tenth, but at least 2. */
const firstTenth = (n) => Math.max(2, Math.ceil(n / 10));
/** Whether to measure after round or epoch `i` of `n`: the first, the first tenth, every n / CHECKPOINTS, the last. */
const isCheckpoint = (i, n) => i === 1 || i === firstTenth(n) || i % Math.max(1, Math.floor(n / CHECKPOINTS)) === 0 || i === n;

// Phase 1: selection rounds. A one-hidden-layer ReLU network; each round, the AdaCore selector
// asks its source for the last layer's per-example gradients and Hessian diagonals (adacore/tf
// lastLayer, dim = 10 x (hidden + 1)) under the model as it is, selects 10 % per class, and the
// model then takes one Adam step on the weighted coreset, so that every round sees new gradients.
async function selectionRounds() {
  const before = await measure(0);
  const x = tf.tensor2d(images.data, [images.rows, images.dim]);
  const y = tf.tensor1d(labels, 'int32');
  const seeded = (shape, scale, seed) => {
    const initial = tf.tidy(() => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale));
    try { return tf.variable(initial); } finally { initial.dispose(); }
  };
  const W1 = seeded([images.dim, HIDDEN], Math.sqrt(2 / images.dim), 1), b1 = seeded([HIDDEN], 0, 0);
  const W2 = seeded([HIDDEN, 10], Math.sqrt(2 / HIDDEN), 2), b2 = seeded([10], 0, 0);
  const optimizer = tf.train.adam(0.01);
  const forward = (rows) => { const h = tf.relu(tf.add(tf.matMul(rows, W1), b1)); return { h, logits: tf.add(tf.matMul(h, W2), b2) }; };
  const source = async () => {
    const { h, logits } = tf.tidy(() => forward(x));
    try { return await lastLayer({ features: h, logits, labels }); } finally { h.dispose(); logits.dispose(); }
  };
  const selector = new AdaCoreSelector({ source, threads: THREADS, seed: 7 });
  const points = [{ ...before, phase: 'before' }];
  let selectionSeconds = 0, rows = 0;
  const started = performance.now();
  for (let round = 1; round <= ROUNDS; round++) {
    const t0 = performance.now();
    const coreset = await selector.select({ labels, fraction: 0.1 });
    selectionSeconds += (performance.now() - t0) / 1000;
    rows = coreset.indices.length;
    tf.tidy(() => {
      const picked = tf.tensor1d(coreset.indices, 'int32');
      const weights = tf.tensor1d(coreset.weights);
      optimizer.minimize(() => {
        const { logits } = forward(tf.gather(x, picked));
        const losses = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.gather(y, picked), 10), logits, undefined, undefined, tf.Reduction.NONE);
        return tf.div(tf.sum(tf.mul(losses, weights)), tf.sum(weights));
      });
    });
    if (isCheckpoint(round, ROUNDS)) points.push(await measure(round));
  }
  const seconds = (performance.now() - started - measuring) / 1000;
  measuring = 0;
  optimizer.dispose();
  for (const t of [x, y, W1, b1, W2, b2]) t.dispose();
  releaseWorkers();
  const after = await measure(ROUNDS);
  return {
    rounds: ROUNDS, rows: images.rows, dim: 10 * (HIDDEN + 1), coresetRows: rows, threads: THREADS,
    seconds, selectionSeconds, checkpoints: points, after, trends: trends(points.slice(1), ROUNDS, tolerances(THREADS, images.rows * 10 * (HIDDEN + 1) * 4)),
    tensorsLeftAfterDispose: after.numTensors - before.numTensors,
  };
}

// Phase 2: train() for EPOCHS epochs, an MLP (hidden [64]) with Adam, method adacore
// re-selecting 10 % every epoch on the last layer's gradients; a checkpoint at epoch ends.
async function trainingEpochs() {
  const before = await measure(0);
  const points = [{ ...before, phase: 'before' }];
  const started = performance.now();
  const run = await train({
    x: images.data, y: labels, dim: images.dim, xTest: testImages.data, yTest: testLabels,
    model: 'mlp', hidden: [64], method: 'adacore', source: 'last-layer', fraction: 0.1, every: 1,
    optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: EPOCHS, seed: 3, selection: { threads: THREADS },
    callbacks: { onEpochEnd: async ({ epoch }) => { if (isCheckpoint(epoch, EPOCHS)) points.push(await measure(epoch)); } },
  });
  const seconds = (performance.now() - started - measuring) / 1000;
  measuring = 0;
  releaseWorkers();
  const after = await measure(EPOCHS);
  return {
    epochs: EPOCHS, rows: images.rows, model: 'mlp [64]', optimizer: 'adam', method: 'adacore (last-layer, every epoch)',
    seconds, selectionSeconds: run.selectionSeconds, finalTestAccuracy: run.finalTestAccuracy,
    checkpoints: points, after, trends: trends(points.slice(1), EPOCHS, tolerances(THREADS, images.rows * 10 * 65 * 4)), tensorsLeftAfterRun: after.numTensors - before.numTensors,
  };
}

const selection = ROUNDS > 0 ? await selectionRounds() : null;
const training = EPOCHS > 0 ? await trainingEpochs() : null;
const phases = [selection, training].filter((p) => p !== null);
const verdict = phases.every((p) => Object.values(p.trends).every((t) => t.verdict === 'flat')) ? 'flat' : 'growing';
console.log(JSON.stringify({
  environment: {
    node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, simd: await simdSupported(), backend,
    data: dir === debian ? 'Debian dataset-fashion-mnist' : 'examples/data/fashion-mnist-slice',
  },
  selection, training, verdict,
}, null, 1));
