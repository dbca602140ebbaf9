// The reader fuzzer's targets and oracle. Each input goes to one reader; the outcome must be a
// valid result (consistent shape, finite values where the format cannot hold others, no row
// dropped) or an AdacoreError naming the input or an option, with a one-line message. Anything
// else is a finding: another error type, a result that fails the checks, an allocation beyond
// maxBytes or far beyond the input's size (allocations are watched, see track()), or an input
// that takes longer than the time bound.
import { gunzipSync } from 'node:zlib';
import { iterationSeed, makeRandom } from './random.mjs';
import { fixtureSeeds, makeSeeds } from './seeds.mjs';
import { mutate } from './mutate.mjs';

const ORIGINAL = { Float32Array, Float64Array, Int32Array, Int16Array, Int8Array };
/** Allocations above this are refused (not made) while an input is read; the outcome says so. */
export const ALLOCATION_CAP = 256 * 2 ** 20;

/** Thrown in place of an allocation larger than ALLOCATION_CAP. */
class AllocationCapped extends Error {
  constructor(bytes) { super(`allocation of ${bytes} bytes`); this.bytes = bytes; }
}

let largest = 0;
const TRACKED = Object.fromEntries(Object.entries(ORIGINAL).map(([name, Base]) => {
  const Tracked = class extends Base {
    constructor(...args) {
      const a = args[0];
      const count = typeof a === 'number' ? a : a && typeof a === 'object' && !(a instanceof ArrayBuffer) && typeof a.length === 'number' ? a.length : 0;
      const bytes = count * Base.BYTES_PER_ELEMENT;
      if (bytes > largest) largest = bytes;
      if (bytes > ALLOCATION_CAP && count <= 2 ** 32) throw new AllocationCapped(bytes);
      super(...args);
    }
  };
  Object.defineProperty(Tracked, 'name', { value: name });
  return [name, Tracked];
}));

/** Run `fn` with the typed-array constructors the readers allocate with watched; the largest request comes back. */
async function track(fn) {
  largest = 0;
  Object.assign(globalThis, TRACKED);
  try {
    return { value: await fn(), largest };
  } catch (error) {
    return { error, largest };
  } finally {
    Object.assign(globalThis, ORIGINAL);
  }
}

const EXT = { npy: 'npy', csv: 'csv', idx: 'idx3-ubyte', libsvm: 'svm' };
const BUDGETS = [undefined, undefined, undefined, 64 * 2 ** 20, 1_000_000, 4096, 0, Infinity];

function baseOptions(r, format) {
  const maxBytes = r.pick(BUDGETS);
  return { source: `fuzz.${EXT[format]}`, ...(maxBytes === undefined ? {} : { maxBytes }) };
}

/** The readers fuzzed: how each is called, with what options, and what its result must satisfy. */
export const TARGETS = [
  { name: 'readNpyMatrix', format: 'npy', valid: (s) => !s.labels, run: (lib, b, o) => lib.readNpyMatrix(b, o), check: checkMatrix },
  { name: 'readNpyLabels', format: 'npy', valid: (s) => s.labels, run: (lib, b, o) => lib.readNpyLabels(b, o), check: checkLabels },
  { name: 'npyRowBlocks', format: 'npy', valid: () => false, options: (r) => ({ rowsPerBlock: r.pick([undefined, undefined, 1, 3, 0, -1, 1.5]) }), run: runBlocks, check: () => undefined },
  { name: 'readCsvMatrix', format: 'csv', valid: () => true, run: (lib, b, o) => lib.readCsvMatrix(b, o), check: checkMatrix },
  { name: 'readCsvLabels', format: 'csv', valid: (s) => s.labels, run: (lib, b, o) => lib.readCsvLabels(b, o), check: checkLabels },
  { name: 'readIdx', format: 'idx', valid: () => true, run: (lib, b, o) => lib.readIdx(b, o), check: checkIdx },
  {
    name: 'readIdxMatrix', format: 'idx', valid: (s) => !s.labels, options: (r) => ({ scale: r.pick([undefined, undefined, 1 / 255, 2, -1, 0, NaN, Infinity, -Infinity]) }),
    run: (lib, b, o) => lib.readIdxMatrix(b, o), check: checkMatrix,
  },
  { name: 'readIdxLabels', format: 'idx', valid: (s) => s.labels, run: (lib, b, o) => lib.readIdxLabels(b, o), check: checkLabels },
  {
    name: 'readLibsvm', format: 'libsvm', valid: () => true,
    options: (r, s) => ({ dim: r.chance(0.8) ? undefined : r.pick([1, 3, 12, 100, 0, -1, 2.5, NaN]), zeroBased: r.chance(0.7) ? s.zeroBased : r.chance(0.5) }),
    run: (lib, b, o) => lib.readLibsvm(b, o), check: (res, ctx) => checkMatrix(res.matrix, ctx) ?? (res.labels instanceof ORIGINAL.Float64Array && res.labels.length === res.matrix.rows ? undefined : 'labels do not match the rows'),
  },
  {
    name: 'readMatrix', format: 'any', valid: () => false, run: (lib, b, o) => lib.readMatrix(b, o.format, o),
    check: (res, ctx) => checkMatrix(res.matrix, ctx) ?? (res.labels === undefined || (res.labels instanceof ORIGINAL.Int32Array && res.labels.length === res.matrix.rows) ? undefined : 'labels do not match the rows'),
  },
];

/** npyRowBlocks over an in-memory file: every block, then a few rows by index, and one index out of range. */
async function runBlocks(lib, bytes, opts, deadline) {
  const file = { size: bytes.length, read: async (offset, length) => bytes.slice(offset, offset + length) };
  const stream = await lib.npyRowBlocks(file, opts);
  const { rows, dim } = stream;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(dim) || rows < 0 || dim < 0) throw new Finding(`stream shape ${rows} x ${dim}`);
  let total = 0;
  for await (const block of stream.blocks()) {
    if (block.length % Math.max(1, dim) !== 0) throw new Finding(`a block of ${block.length} values is not whole rows of ${dim}`);
    total += block.length;
    if (performance.now() > deadline) throw new Finding(`still reading blocks after the time bound (${total} of ${rows * dim} values)`);
  }
  if (total !== rows * dim) throw new Finding(`blocks hold ${total} values, the header says ${rows} x ${dim}`);
  if (rows > 0) {
    const picked = await stream.readRows([rows - 1, 0]);
    if (picked.length !== 2 * dim) throw new Finding(`readRows gave ${picked.length} values for 2 rows of ${dim}`);
  }
  try {
    await stream.readRows([rows]);
  } catch (e) {
    if (e instanceof lib.AdacoreError) return stream;
    throw e;
  }
  throw new Finding(`readRows accepted row ${rows} of ${rows}`);
}

/** A broken expectation about a result (not an error the reader threw). */
class Finding extends Error {}

const decodeText = (b) => new TextDecoder().decode(b).replace(/^\ufeff/, '');
const lines = (b) => decodeText(b).split(/\r\n|\r|\n/);
// the readers' unambiguous form (src/io/common.ts): `\d+\.?\d*` backtracks quadratically on a long digit run
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:nan|inf|infinity)$/i;

/** Whether non-finite values may come out of this input (nan/inf spelled, or a number too large). */
function mayBeNonFinite(ctx) {
  if (ctx.format === 'csv' || ctx.format === 'libsvm') return /nan|inf|\d[eE][+-]?\d|\d{300}/i.test(decodeText(ctx.bytes));
  const raw = ctx.raw;
  const integer = ctx.format === 'idx' ? [0x08, 0x09, 0x0b, 0x0c].includes(raw?.[2]) : !/'descr':\s*'[<>|=]?f/.test(decodeText(ctx.bytes.subarray(0, 256)));
  return !integer;
}

/** The IDX header's shape (after gunzip), read independently of the reader. */
function idxShape(raw) {
  if (!raw || raw.length < 4) return undefined;
  const n = raw[3];
  if (raw.length < 4 + 4 * n) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  return Array.from({ length: n }, (_, i) => view.getUint32(4 + 4 * i, false));
}

function checkValues(data, ctx) {
  if (mayBeNonFinite(ctx)) return undefined;
  const step = Math.max(1, Math.floor(data.length / 1_000_000));
  for (let i = 0; i < data.length; i += step) if (!Number.isFinite(data[i])) return `value ${i} is ${data[i]} but the input spells no NaN or infinity`;
  return undefined;
}

function checkRows(rows, ctx) {
  if (ctx.format === 'csv') {
    const nonBlank = lines(ctx.bytes).filter((l) => l.trim() !== '');
    if (rows !== nonBlank.length && rows !== nonBlank.length - 1) return `${rows} rows from ${nonBlank.length} non-blank lines`;
    if (rows === nonBlank.length - 1) {
      // the separator as the reader picks it: the most frequent of , ; tab (ties: that order)
      const sep = [',', ';', '\t'].reduce((best, c) => (nonBlank[0].split(c).length > nonBlank[0].split(best).length ? c : best), ',');
      const fields = nonBlank[0].split(sep).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
      if (!fields.some((f) => f !== '' && !NUMBER.test(f))) return `the first line ${JSON.stringify(nonBlank[0].slice(0, 60))} was dropped as a header but holds no name`;
    }
  } else if (ctx.format === 'libsvm') {
    const content = lines(ctx.bytes).filter((l) => l.replace(/#.*/, '').trim() !== '');
    if (rows !== content.length) return `${rows} rows from ${content.length} lines with content`;
  } else if (ctx.format === 'idx') {
    const shape = idxShape(ctx.raw);
    if (shape && rows !== shape[0]) return `${rows} rows but the header's first dimension is ${shape[0]}`;
  }
  return undefined;
}

function checkMatrix(m, ctx) {
  if (!m || !(m.data instanceof ORIGINAL.Float32Array || m.data instanceof ORIGINAL.Float64Array)) return 'the data is not a Float32Array or Float64Array';
  if (!Number.isSafeInteger(m.rows) || !Number.isSafeInteger(m.dim) || m.rows < 0 || m.dim < 0) return `shape ${m.rows} x ${m.dim}`;
  if (m.data.length !== m.rows * m.dim) return `${m.data.length} values for ${m.rows} x ${m.dim}`;
  return checkRows(m.rows, ctx) ?? checkValues(m.data, ctx);
}

function checkLabels(l, ctx) {
  if (!(l instanceof ORIGINAL.Int32Array)) return 'labels are not an Int32Array';
  return checkRows(l.length, ctx);
}

function checkIdx(res, ctx) {
  const n = res.shape.reduce((a, b) => a * b, 1);
  if (!res.shape.every(Number.isSafeInteger) || res.data.length !== n) return `${res.data.length} values for shape ${res.shape.join(' x ')}`;
  return checkRows(res.shape[0], ctx) ?? checkValues(res.data, ctx);
}

const OPTION_ARGUMENTS = new Set(['maxBytes', 'dim', 'scale', 'rowsPerBlock', 'indices', 'format']);

/**
 * Read one input with one target; returns { outcome: 'accepted' | 'rejected' | 'capped' | 'finding', problem?, ms, largest }.
 * 'capped': a LIBSVM file whose dense matrix (within maxBytes) is larger than ALLOCATION_CAP.
 */
export async function readOne(lib, target, bytes, opts, format, boundMs) {
  const start = performance.now();
  const ctx = { bytes, format, raw: undefined };
  if (format === 'idx') ctx.raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? (() => { try { return new Uint8Array(gunzipSync(bytes)); } catch { return undefined; } })() : bytes;
  const { value, error, largest: peak } = await track(() => target.run(lib, bytes, opts, start + boundMs));
  const ms = performance.now() - start;
  const done = (outcome, problem) => ({ outcome, problem, ms, largest: peak });
  const budget = opts.maxBytes ?? 2 * 1024 ** 3;
  const inputSize = Math.max(bytes.length, ctx.raw?.length ?? 0);
  if (target.name !== 'npyRowBlocks' && peak > budget + 64) return done('finding', `allocated ${peak} bytes, more than maxBytes ${budget}`);
  if (format !== 'libsvm' && peak > 16 * inputSize + 2 ** 20) return done('finding', `allocated ${peak} bytes for a ${inputSize}-byte input`);
  if (ms > boundMs) return done('finding', `took ${ms.toFixed(0)} ms (bound ${boundMs} ms)`);
  if (error === undefined) {
    const problem = target.check(value, ctx);
    return problem === undefined ? done('accepted') : done('finding', `accepted, but ${problem}`);
  }
  if (error instanceof AllocationCapped) return format === 'libsvm' ? done('capped') : done('finding', `allocated ${error.bytes} bytes`);
  if (error instanceof Finding) return done('finding', error.message);
  if (error instanceof lib.AdacoreError) {
    const m = error.message;
    if (typeof m !== 'string' || m.length < error.argument.length + 5 || /[\u0000-\u001f]/.test(m) || m.length > 600) return done('finding', `unclear AdacoreError message ${JSON.stringify(m?.slice?.(0, 200))}`);
    if (error.argument !== opts.source && !OPTION_ARGUMENTS.has(error.argument)) return done('finding', `AdacoreError names ${JSON.stringify(error.argument)}, neither the input nor an option`);
    return done('rejected');
  }
  return done('finding', `${error?.name ?? typeof error}: ${String(error?.message ?? error).slice(0, 300)}`);
}

/** The seed pool of a run: random valid files of each format, and the .npy fixtures if `root` has them. */
export function seedPool(seed, root, perFormat = 24) {
  const r = makeRandom(seed);
  const pool = {};
  for (const format of ['npy', 'csv', 'idx', 'libsvm']) pool[format] = makeSeeds(r, format, perFormat);
  if (root) pool.npy.push(...fixtureSeeds(root));
  return pool;
}

/**
 * The input of iteration `i` for `target`: a seed (unchanged one time in twenty: then a reader
 * that should take it must) or a mutant, and the options. Deterministic in (seed, target, i).
 */
export function makeInput(pool, target, seed, i) {
  const r = makeRandom(iterationSeed(seed, i * 31 + TARGETS.indexOf(target)));
  const format = target.format === 'any' ? r.pick(['npy', 'csv', 'idx', 'libsvm']) : target.format;
  const s = r.pick(pool[format]);
  const plain = r.chance(0.05);
  const { bytes, ops } = plain ? { bytes: s.bytes, ops: [] } : mutate(r, s, pool[format]);
  const opts = plain ? { source: `fuzz.${EXT[format]}`, ...(s.zeroBased ? { zeroBased: true } : {}) } : { ...baseOptions(r, format), ...target.options?.(r, s) };
  if (target.format === 'any') opts.format = r.chance(0.95) ? format : r.pick(['npz', '', 'NPY']);
  return { bytes, ops, opts, format, seedName: s.name, mustAccept: plain && !s.name.startsWith('fixture:') && target.valid(s) };
}

/**
 * Fuzz every target (or those named) `iterations` times each (from iteration `start`). `lib` is
 * the module under test (the built bundle, or src/index.ts in the tests). Returns counts per
 * target and the findings. `onInput(target, i)` is called before each input (a heartbeat).
 */
export async function fuzzReaders({ lib, seed = 1, iterations = 100, start = 0, boundMs = 2000, root, only, onInput, onResult }) {
  const pool = seedPool(seed, root);
  const counts = {};
  const findings = [];
  for (const target of TARGETS.filter((t) => !only || only.includes(t.name))) {
    const c = (counts[target.name] = { tried: 0, accepted: 0, rejected: 0, capped: 0, findings: 0 });
    for (let i = start; i < iterations; i++) {
      onInput?.(target.name, i); // before the mutant is made: a stall there is input i's too
      const input = makeInput(pool, target, seed, i);
      let res = await readOne(lib, target, input.bytes, input.opts, input.format, boundMs);
      if (input.mustAccept && res.outcome !== 'accepted') res = { ...res, outcome: 'finding', problem: `a valid ${input.seedName} was not accepted: ${res.problem ?? 'rejected'}` };
      c.tried++;
      c[res.outcome === 'finding' ? 'findings' : res.outcome]++;
      const finding = res.outcome === 'finding'
        ? { target: target.name, seed, iteration: i, seedName: input.seedName, ops: input.ops, options: describe(input.opts), problem: res.problem, size: input.bytes.length, bytes: input.bytes }
        : undefined;
      if (finding) findings.push(finding);
      onResult?.(target.name, i, res.outcome, finding);
    }
  }
  return { counts, findings };
}

function describe(opts) {
  return Object.fromEntries(Object.entries(opts).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? String(v) : v]));
}
