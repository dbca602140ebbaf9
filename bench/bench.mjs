// adacore benchmarks: prints one JSON document. Run `npm run build` first.
//   node bench/bench.mjs [--runs 5] [--only distance,classes,full]
// Contenders run in the same process, alternated, after a warm-up; medians and ratios.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { instantiateKernels, simdSupported } from '../build/js/kernels/wasm.js';
import { Arena } from '../build/js/kernels/arena.js';
import { selectCoreset, facilityLocationCost, gradientError, referenceSelectCoreset, readIdxMatrix, readIdxLabels, releaseWorkers } from '../dist/adacore.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, only: { type: 'string', default: 'distance,classes,full' } } });
const RUNS = Number(values.runs);
const only = new Set(values.only.split(','));
const FASHION = '/usr/share/datasets/fashion-mnist';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const round = (x, digits = 4) => Number(x.toPrecision(digits));

/** Alternate the contenders RUNS times after one warm-up each; return median seconds. */
async function race(contenders) {
  const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const run of contenders ? Object.values(contenders) : []) await run();
  for (let r = 0; r < RUNS; r++) {
    for (const [name, run] of Object.entries(contenders)) {
      const t0 = performance.now();
      await run();
      times[name].push((performance.now() - t0) / 1000);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

function seededGaussian(seed) {
  let s = seed >>> 0;
  const uniform = () => { s = (s + 0x6d2b79f5) >>> 0; let t = Math.imul(s ^ (s >>> 15), s | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

async function fashion() {
  const images = await readIdxMatrix(readFileSync(`${FASHION}/train-images-idx3-ubyte.gz`), { scale: 1 / 255 });
  const labels = await readIdxLabels(readFileSync(`${FASHION}/train-labels-idx1-ubyte.gz`));
  return { images, labels };
}

function classRows(images, labels, label) {
  const rows = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === label) rows.push(i);
  const out = new Float32Array(rows.length * images.dim);
  rows.forEach((r, t) => out.set(images.data.subarray(r * images.dim, (r + 1) * images.dim), t * images.dim));
  return { data: out, rows: rows.length, dim: images.dim };
}

function project(matrix, dim, seed) {
  const gaussian = seededGaussian(seed);
  const w = Float64Array.from({ length: matrix.dim * dim }, () => gaussian() / Math.sqrt(dim));
  const out = new Float32Array(matrix.rows * dim);
  for (let i = 0; i < matrix.rows; i++) for (let k = 0; k < dim; k++) {
    let s = 0;
    for (let j = 0; j < matrix.dim; j++) s += matrix.data[i * matrix.dim + j] * w[j * dim + k];
    out[i * dim + k] = s;
  }
  return { data: out, rows: matrix.rows, dim };
}

/** Plain JS: the n x n euclidean matrix, upper triangle computed and mirrored. */
function plainDistances(x, n, d, out) {
  for (let i = 0; i < n; i++) {
    out[i * n + i] = 0;
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) { const t = x[i * d + k] - x[j * d + k]; s += t * t; }
      out[i * n + j] = out[j * n + i] = Math.sqrt(s);
    }
  }
}

async function benchDistance() {
  const n = 4000, d = 64;
  const gaussian = seededGaussian(7);
  const x = Float32Array.from({ length: n * d }, gaussian);
  const kernels = await instantiateKernels();
  const arena = new Arena(kernels);
  // the library's dense build: row-major copy, norms, interleave, then the tiled kernel
  const xAt = arena.alloc(n * d * 4, 'x'), packedAt = arena.alloc(n * d * 4, 'packed');
  const normsAt = arena.alloc(n * 4, 'norms'), outAt = arena.alloc(n * n * 4, 'out');
  const plainOut = new Float32Array(n * n);
  const times = await race({
    wasm: () => {
      arena.f32(xAt, n * d).set(x);
      kernels.squaredNorms(xAt, n, d, normsAt);
      kernels.interleaveRows(xAt, n, d, packedAt);
      kernels.denseDistanceRows(packedAt, normsAt, n, d, outAt, 0, 0, 1 << 20);
    },
    plainJs: () => plainDistances(x, n, d, plainOut),
  });
  const wasmOut = arena.f32(outAt, n * n);
  let maxError = 0;
  for (let i = 0; i < n * n; i++) maxError = Math.max(maxError, Math.abs(wasmOut[i] - plainOut[i]));
  const pairs = (n * (n - 1)) / 2;
  return {
    task: 'euclidean distance matrix, n = 4000, d = 64, float32, one thread (upper triangle computed, mirrored)',
    seconds: { wasm: round(times.wasm), plainJs: round(times.plainJs) },
    gflops: { wasm: round((pairs * 3 * d) / times.wasm / 1e9, 3), plainJs: round((pairs * 3 * d) / times.plainJs / 1e9, 3) },
    flopConvention: '3 d flops per distinct pair (subtract, multiply, add), as in docs/benchmarks.md, section 4; the kernel itself does 2 d via the Gram form',
    speedupOverPlainJs: round(times.plainJs / times.wasm, 3),
    maxAbsDifferenceVsPlainJs: round(maxError, 3),
  };
}

async function benchClasses(images, labels) {
  const cls = classRows(images, labels, 0);
  const out = [];
  for (const [name, m] of [['d=10 (seeded gaussian projection)', project(cls, 10, 11)], ['d=784 (pixels / 255)', cls]]) {
    let last, lazyTwo, partitioned, twoThreads;
    const times = await race({
      lazy: async () => { last = await selectCoreset(m.data, { dim: m.dim, budget: 600 }); },
      // exact lazy greedy on two threads: its dense block shared with a Worker where that pays (src/optimizers/dense-build.ts)
      lazyTwoThreads: async () => { lazyTwo = await selectCoreset(m.data, { dim: m.dim, budget: 600, threads: 2 }); },
      partitioned: async () => { partitioned = await selectCoreset(m.data, { dim: m.dim, budget: 600, optimizer: 'partitioned' }); },
      // one class on two threads: its parts in Workers (the same picks as one thread)
      partitionedTwoThreads: async () => { twoThreads = await selectCoreset(m.data, { dim: m.dim, budget: 600, optimizer: 'partitioned', threads: 2 }); },
    });
    const row = {
      task: `lazy facility location, budget 600 of n = ${m.rows} (Fashion-MNIST class 0), ${name}`, seconds: round(times.lazy), cost: round(last.cost, 7), path: last.path, evaluations: last.evaluations,
      lazyTwoThreads: {
        seconds: round(times.lazyTwoThreads), threadsUsed: lazyTwo.threads, samePicks: lazyTwo.indices.every((v, i) => v === last.indices[i]) && lazyTwo.cost === last.cost,
        speedupOverOneThread: round(times.lazy / times.lazyTwoThreads, 3),
      },
      partitioned: { seconds: round(times.partitioned), cost: round(partitioned.cost, 7), costOverLazy: round(partitioned.cost / last.cost, 4), speedupOverLazy: round(times.lazy / times.partitioned, 3) },
      partitionedTwoThreads: {
        seconds: round(times.partitionedTwoThreads), samePicks: twoThreads.indices.every((v, i) => v === partitioned.indices[i]),
        speedupOverOneThread: round(times.partitioned / times.partitionedTwoThreads, 3), speedupOverLazy: round(times.lazy / times.partitionedTwoThreads, 3),
      },
    };
    if (m.dim <= 10) {
      const t0 = performance.now();
      const ref = referenceSelectCoreset(m.data, { dim: m.dim, budget: 600 });
      row.referenceTs = { seconds: round((performance.now() - t0) / 1000), sameIndices: ref.indices.every((v, i) => v === last.indices[i]), cost: round(ref.cost, 7) };
      row.speedupOverReferenceTs = round(row.referenceTs.seconds / row.seconds, 3);
    }
    out.push(row);
  }
  return out;
}

async function benchFull(images, labels) {
  const out = [];
  for (const [name, options] of [['lazy', {}], ['lazy, 2 threads', { threads: 2 }], ['partitioned', { optimizer: 'partitioned' }], ['partitioned, 2 threads', { optimizer: 'partitioned', threads: 2 }]]) {
    let peakRss = process.memoryUsage().rss;
    const timer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
    const result = await selectCoreset(images.data, { dim: images.dim, labels, fraction: 0.1, ...options });
    clearInterval(timer);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    out.push({
      task: `per-class ${name} facility location, 10 % of the ${images.rows} Fashion-MNIST training images, d = ${images.dim}`,
      seconds: round(result.seconds), path: result.path, budget: result.budget, cost: round(result.cost, 7),
      gradientError: round(gradientError(images.data, images.dim, result.indices, result.weights), 4),
      peakRssMiB: Math.round(peakRss / 2 ** 20), threads: result.threads,
    });
  }
  releaseWorkers();
  return out;
}

const report = {
  environment: { runtime: 'node', version: process.version, simd: await simdSupported(), threads: 1, platform: `${process.platform}-${process.arch}`, runs: RUNS },
};
if (only.has('distance')) report.distance = await benchDistance();
if (only.has('classes') || only.has('full')) {
  const { images, labels } = await fashion();
  if (only.has('classes')) report.classes = await benchClasses(images, labels);
  if (only.has('full')) report.full = await benchFull(images, labels);
}
console.log(JSON.stringify(report, null, 2));
