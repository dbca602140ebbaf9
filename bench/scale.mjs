// Selection at scale on one machine. Fashion-MNIST's 60,000 training images projected to 64
// dimensions (a seeded Gaussian projection) and repeated with small seeded noise up to n rows,
// cached as a .npy in the system's temp folder. Each configuration runs in a child process of
// its own, so that its peak resident memory (getrusage's maxRSS) is its own. Prints JSON:
//   * n = 1,000,000 at 1 % and 10 % with memoryBudget 4 GiB (optimizer auto): time and peak
//     memory, against exact lazy greedy's time extrapolated from n = 5,000 to 20,000 (a power
//     law fitted to those runs);
//   * n = 20,000 at 5 %: the cost of auto's path (and of proportional) relative to exact lazy greedy.
//   * a .npy of about 5 GB streamed from disk with memoryBudget 1 GiB (budget 1,000 rows).
//   npm run build && node bench/scale.mjs [--quick] [--only large,quality,stream] [--stream-gb G]
//   (--quick: n = 100,000 instead of 1,000,000, and a 0.5 GB file)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { projectedFashion } from './projected-fashion.mjs';

const { values } = parseArgs({ options: {
  child: { type: 'string' }, quick: { type: 'boolean', default: false }, 'stream-gb': { type: 'string' }, only: { type: 'string' },
} });
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
  const { base, rows, normal } = await projectedFashion(lib, DIM, 12345);
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const from = (i % rows) * DIM, copy = Math.floor(i / rows);
    for (let c = 0; c < DIM; c++) out[i * DIM + c] = base[from + c] + (copy === 0 ? 0 : 0.05 * normal());
  }
  writeFileSync(`${file}.tmp`, lib.encodeNpy(out, [n, DIM]));
  renameSync(`${file}.tmp`, file);
  return file;
}

/** A .npy of about `gb` GB (d = 64 float32): the 1,000,000-row set repeated with fresh noise, written in blocks. */
async function bigFile(gb) {
  const rows = Math.floor((gb * 1e9) / (DIM * 4));
  const file = join(tmpdir(), `adacore-scale-stream-${rows}x${DIM}.npy`);
  if (existsSync(file)) return { file, rows };
  const base = await rowsOf(1_000_000);
  const { openSync, writeSync, closeSync } = await import('node:fs');
  const text = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${DIM}), }`;
  const pad = (64 - ((10 + text.length + 1) % 64)) % 64;
  const head = Buffer.from(`\x93NUMPY\x01\x00__${text}${' '.repeat(pad)}\n`, 'latin1');
  head.writeUInt16LE(head.length - 10, 8);
  const fd = openSync(`${file}.tmp`, 'w');
  writeSync(fd, head);
  const random = lib.mulberry32(99);
  const chunk = new Float32Array(65536 * DIM);
  for (let first = 0; first < rows; first += 65536) {
    const count = Math.min(65536, rows - first);
    for (let t = 0; t < count * DIM; t++) chunk[t] = base[((first * DIM) + t) % base.length] + (random() / 2 ** 32 - 0.5) * 0.1;
    writeSync(fd, new Uint8Array(chunk.buffer, 0, count * DIM * 4));
  }
  closeSync(fd);
  renameSync(`${file}.tmp`, file);
  return { file, rows };
}

// a child: the big file streamed from disk under a budget
if (values.child?.startsWith('{"stream"')) {
  const { stream: { gb, budget, memoryBudget } } = JSON.parse(values.child);
  const { file, rows } = await bigFile(gb);
  const { open, stat } = await import('node:fs/promises');
  const handle = await open(file, 'r');
  const size = (await stat(file)).size;
  const npy = await lib.npyRowBlocks({ size, read: async (offset, length) => { const b = new Uint8Array(length); const { bytesRead } = await handle.read(b, 0, length, offset); return b.subarray(0, bytesRead); } });
  const started = performance.now();
  const result = await lib.selectCoreset(npy.blocks, { dim: DIM, budget, memoryBudget });
  const seconds = (performance.now() - started) / 1000;
  await handle.close();
  console.log(JSON.stringify({
    file: `${(size / 1e9).toFixed(2)} GB`, rows, budget, memoryBudgetMiB: memoryBudget / 2 ** 20, seconds: round(seconds), path: result.path, optimizer: result.optimizer,
    weightSum: result.weights.reduce((a, b) => a + b, 0), plannedMiB: Math.round(result.plannedBytes / 2 ** 20),
    peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
  }));
  process.exit(0);
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
const ONLY = values.only?.split(',');
const wanted = (part) => ONLY === undefined || ONLY.includes(part);
const FOUR_GIB = 4 * 2 ** 30;

const report = {};
// exact lazy greedy (dense blocks up to 2 GiB: its fastest path) at small n, fitted as a n^b per fraction
const EXACT = { optimizer: 'lazy', blockMemory: 2 * 2 ** 30 };
if (wanted('large')) {
  report.exact = [];
  report.large = [];
  for (const fraction of [0.01, 0.1]) {
    const points = [];
    for (const n of [5000, 10000, 20000]) points.push(await run(n, fraction, EXACT));
    report.exact.push(...points);
    const xs = points.map((p) => Math.log(p.n)), ys = points.map((p) => Math.log(p.seconds));
    const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
    const b = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i] - my), 0) / xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
    const extrapolated = Math.exp(my + b * (Math.log(LARGE) - mx));
    for (const threads of [1, 2]) {
      const r = await run(LARGE, fraction, { memoryBudget: FOUR_GIB, threads });
      report.large.push({ ...r, lazyExtrapolatedSeconds: round(extrapolated), lazyExponent: round(b, 3), speedupOverLazy: round(extrapolated / r.seconds, 3), underFourGiB: r.peakRssMiB < 4096 });
    }
  }
}

// the large-n paths' cost at n = 20,000, 5 %, against exact lazy greedy
if (wanted('quality')) {
  const lazy = await run(20000, 0.05, EXACT);
  report.quality = { lazy, paths: [] };
  for (const options of [{}, { optimizer: 'spatial', partitionSize: 2048 }, { optimizer: 'spatial', partitionSize: 3072 }, { optimizer: 'spatial', partitionSize: 4096 }, { optimizer: 'partitioned' }, { optimizer: 'partitioned', partitionSize: 2048 }, { optimizer: 'proportional', partitionSize: 2048 }]) {
    const r = await run(20000, 0.05, options);
    report.quality.paths.push({ ...r, costOverLazy: round(r.cost / lazy.cost, 5), secondsOverLazy: round(r.seconds / lazy.seconds, 3) });
  }
}

// a file larger than memory, streamed from disk (three reads) under a budget
if (wanted('stream')) {
  const gb = Number(values['stream-gb'] ?? (values.quick ? 0.5 : 5));
  await bigFile(gb);
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify({ stream: { gb, budget: 1000, memoryBudget: 2 ** 30 } })], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`stream: ${r.stderr}`);
  report.stream = JSON.parse(r.stdout);
  console.error(r.stdout.trim());
}

console.log(JSON.stringify({
  environment: { node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, simd: await lib.simdSupported(), quick: values.quick },
  data: `Fashion-MNIST train images projected to ${DIM} dimensions (seeded Gaussian), repeated with noise N(0, 0.05^2) per copy`,
  ...report,
}, null, 1));
