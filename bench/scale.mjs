// Selection at scale on one machine. Fashion-MNIST's 60,000 training images projected to 64
// dimensions (a seeded Gaussian projection) and repeated with small seeded noise up to n rows,
// cached as a .npy in the system's temp folder. Each configuration runs in a child process of
// its own, so that its peak resident memory (getrusage's maxRSS) is its own. Prints JSON:
//   * n = 1,000,000 at 1 % and 10 % with memoryBudget 4 GiB (optimizer auto): time and peak
//     memory, against exact lazy greedy's time extrapolated from n = 5,000 to 20,000 (a power
//     law fitted to those runs);
//   * n = 20,000 at 5 %: the cost of auto's path (and of proportional) relative to exact lazy greedy.
//   npm run build && node bench/scale.mjs [--quick]      (--quick: n = 100,000 instead of 1,000,000)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({ options: { child: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const DIM = 64;
const lib = await import('../dist/adacore.mjs');

/** The first n rows of the cached data set, as a float32 view of the file (no decoded copy). */
async function rowsOf(n) {
  const file = await dataset(n);
  const bytes = readFileSync(file);
  const offset = 10 + bytes.readUInt16LE(8);
  return new Float32Array(bytes.buffer, bytes.byteOffset + offset, n * DIM);
}

/** The cached .npy of n rows, made if missing. */
async function dataset(n) {
  const file = join(tmpdir(), `adacore-scale-${n}x${DIM}.npy`);
  if (existsSync(file)) return file;
  const images = await lib.readIdxMatrix(readFileSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'), { scale: 1 / 255 });
  const random = lib.mulberry32(12345);
  const uniform = () => (random() + 0.5) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const projection = Float64Array.from({ length: images.dim * DIM }, () => normal() / Math.sqrt(DIM));
  const base = new Float32Array(images.rows * DIM);
  for (let i = 0; i < images.rows; i++) {
    const row = images.data.subarray(i * images.dim, (i + 1) * images.dim);
    for (let j = 0; j < images.dim; j++) {
      const v = row[j];
      if (v === 0) continue;
      for (let c = 0; c < DIM; c++) base[i * DIM + c] += v * projection[j * DIM + c];
    }
  }
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const from = (i % images.rows) * DIM, copy = Math.floor(i / images.rows);
    for (let c = 0; c < DIM; c++) out[i * DIM + c] = base[from + c] + (copy === 0 ? 0 : 0.05 * normal());
  }
  writeFileSync(`${file}.tmp`, lib.encodeNpy(out, [n, DIM]));
  renameSync(`${file}.tmp`, file);
  return file;
}

// a child: one selection, its result on stdout
if (values.child) {
  const { n, fraction, options } = JSON.parse(values.child);
  const x = await rowsOf(n);
  const started = performance.now();
  const result = await lib.selectCoreset(x, { dim: DIM, fraction, ...options });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({
    n, fraction, options, seconds: round(seconds), cost: result.cost, optimizer: result.optimizer, path: result.path,
    picks: result.indices.length, weightSum: result.weights.reduce((a, b) => a + b, 0),
    plannedMiB: Math.round(result.plannedBytes / 2 ** 20), peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
  }));
  process.exit(0);
}

async function run(n, fraction, options = {}) {
  await dataset(n);
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify({ n, fraction, options })], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`n=${n} ${JSON.stringify(options)}: ${r.stderr}`);
  const result = JSON.parse(r.stdout);
  console.error(JSON.stringify(result));
  return result;
}

function round(x, digits = 4) { return Number(x.toPrecision(digits)); }

const LARGE = values.quick ? 100_000 : 1_000_000;
const FOUR_GIB = 4 * 2 ** 30;

// exact lazy greedy's time at small n, fitted as a n^b per fraction
const exact = [];
const fit = {};
for (const fraction of [0.01, 0.1]) {
  const points = [];
  for (const n of [5000, 10000, 20000]) points.push(await run(n, fraction, { optimizer: 'lazy' }));
  exact.push(...points);
  const xs = points.map((p) => Math.log(p.n)), ys = points.map((p) => Math.log(p.seconds));
  const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
  const b = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  fit[fraction] = { exponent: round(b, 3), seconds: (n) => Math.exp(my + b * (Math.log(n) - mx)) };
}

const large = [];
for (const fraction of [0.01, 0.1]) {
  const r = await run(LARGE, fraction, { memoryBudget: FOUR_GIB });
  const extrapolated = fit[fraction].seconds(LARGE);
  large.push({ ...r, lazyExtrapolatedSeconds: round(extrapolated), lazyExponent: fit[fraction].exponent, speedup: round(extrapolated / r.seconds, 3), underFourGiB: r.peakRssMiB < 4096 });
}

// the large-n paths' cost at n = 20,000, 5 %
const lazy = await run(20000, 0.05, { optimizer: 'lazy' });
const quality = [];
for (const optimizer of ['auto', 'partitioned', 'proportional']) {
  const r = await run(20000, 0.05, { optimizer });
  quality.push({ ...r, costOverLazy: round(r.cost / lazy.cost, 5), secondsOverLazy: round(r.seconds / lazy.seconds, 3) });
}

console.log(JSON.stringify({
  environment: { node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, simd: await lib.simdSupported(), quick: values.quick },
  data: `Fashion-MNIST train images projected to ${DIM} dimensions (seeded Gaussian), repeated with noise N(0, 0.05^2) per copy`,
  exact, large, quality: { lazy, paths: quality },
}, null, 1));
