// The CLI's argument fuzzer: command lines built from valid templates, then mutated (values
// dropped, repeated, replaced by wrong types, NaN, huge or negative numbers; files missing,
// folders, malformed files from the reader mutators; outputs in missing folders, over inputs or
// over existing files; unknown flags, positionals). Each is run as `node bin/adacore.mjs ...`
// in a scratch folder. A failure must exit 1 or 2 with one line on stderr, no stack frame and
// nothing on stdout, and leave the folder exactly as it was; a success must write valid output.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRandom, iterationSeed } from './random.mjs';
import { idxFile, npyFile } from './seeds.mjs';
import { mutate } from './mutate.mjs';

const N = 30;

/** The valid files every case starts from, and an existing output that must survive failures. */
export function prepareWorkspace(dir) {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  const r = makeRandom(12345);
  const x = Array.from({ length: N * 3 }, (_, k) => (Math.floor(k / 3) % 5) + r.next());
  const y = Array.from({ length: N }, (_, i) => i % 3);
  const files = {
    'x.npy': npyFile({ descr: '<f4', shape: [N, 3], values: x }).bytes,
    'z.npy': npyFile({ descr: '<f4', shape: [N, 3], values: x.map((v) => v - 2) }).bytes,
    'y.npy': npyFile({ descr: '<i4', shape: [N], values: y }).bytes,
    'x.csv': `a,b,c\n${Array.from({ length: N }, (_, i) => x.slice(3 * i, 3 * i + 3).join(',')).join('\n')}\n`,
    'y.csv': `${y.join('\n')}\n`,
    'x.svm': `${Array.from({ length: N }, (_, i) => `${y[i] + 1} 1:${x[3 * i]} 3:${x[3 * i + 2]}`).join('\n')}\n`,
    'x-idx3-ubyte': idxFile(0x08, [N, 2, 2], Array.from({ length: N * 4 }, (_, k) => (k * 37) % 256)).bytes,
    'y-idx1-ubyte': idxFile(0x08, [N], y).bytes,
    'empty.npy': new Uint8Array(0),
    'existing.json': 'KEEP\n',
    'existing.npy': 'KEEP\n',
  };
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
}

const INPUTS = ['x.npy', 'x.csv', 'x.svm', 'x-idx3-ubyte'];
const LABELS = ['y.npy', 'y.csv', 'y-idx1-ubyte'];
const BAD_VALUES = [
  '', ' ', '-1', '0', '-0', 'NaN', 'nan', 'Infinity', '-Infinity', '1e999', '1e308', '1e-320', '99999999999999999999', '9007199254740993',
  '0x10', '1.5', '2.5', '1,5', 'abc', '-', '--budget', '+5', '.5', '5 ', '１', '1K', '1G', '999T', '-1G', 'true', '[]', '{}',
  '1'.repeat(20000) + 'x', 'x'.repeat(5000),
];
const BAD_FILES = ['missing.npy', 'sub', 'nodir/x.npy', 'x.unknown', 'empty.npy', '', 'x.npy/', 'y.npy', 'x.csv', 'bad.npy', 'bad.csv', 'bad.svm', 'bad-idx3-ubyte'];
const BAD_OUTPUTS = ['nodir/out.json', 'sub', 'existing.json', 'existing.npy', 'x.npy', 'out.unknown', '', 'sub/', 'nodir/deeper/out.npy', 'out.csv', 'out.npy'];
const UNKNOWN = ['--nope', '--budgett', '-z', '--', 'positional', '--input=x.npy', '--budget=5', '---budget', '-', '--help', '-q', '--quiet=1', '--force'];
const FILE_FLAGS = new Set(['--input', '--labels', '--logits', '--test-input', '--test-labels', '--store']);
const OUTPUT_FLAGS = new Set(['--out', '-o', '--labels-out', '--weights-out', '--indices-out', '--chart']);

/** Valid command lines (each should succeed as it is) and a few that can only fail. */
function template(r) {
  const input = r.pick(INPUTS);
  const labels = r.chance(0.5) ? ['--labels', input === 'x.svm' ? r.pick(LABELS) : r.pick(LABELS)] : [];
  const budget = r.chance(0.7) ? ['--budget', String(r.range(1, 10))] : ['--fraction', String(r.pick([0.1, 0.5, 1]))];
  const extra = () => r.pick([[], ['--metric', r.pick(['euclidean', 'cosine', 'sqeuclidean'])], ['--optimizer', r.pick(['lazy', 'stochastic', 'naive', 'partitioned'])], ['--seed', '3'], ['--quiet'], ['--max-memory', r.pick(['1K', '1G'])], ['--threads', '2']]);
  return r.pick([
    () => ['select', '--input', input, ...labels, ...budget, ...extra(), ...(r.chance(0.5) ? [r.pick(['--out', '-o']), 'out.json'] : [])],
    () => ['select', '--method', r.pick(['craig', 'random']), '--input', 'x.npy', '--labels', 'y.npy', ...budget, ...extra()],
    () => ['select', '--method', 'adacore', '--logits', 'z.npy', '--labels', r.pick(LABELS), ...budget, ...(r.chance(0.3) ? ['--beta', '0.9'] : [])],
    () => ['prune', '--input', input, ...labels, ...budget, '--out', input === 'x.csv' ? 'kept.csv' : 'kept.npy', ...(labels.length ? ['--labels-out', 'ky.npy'] : []), ...(r.chance(0.5) ? ['--weights-out', 'w.npy', '--indices-out', 'i.csv'] : []), ...extra()],
    () => ['train', '--input', 'x.npy', '--labels', 'y.npy', '--epochs', '1', '--quiet', ...(r.chance(0.5) ? ['--out', 'train.json'] : [])],
    () => ['select', '--distributed', '--redis', r.pick(['http://x', 'redis://', 'x', '']), '--partitions', '2', '--store', 'sub', '--input', 'x.npy', '--budget', '3'],
    () => ['worker', '--redis', r.pick(['http://localhost', 'redis://', '', 'localhost:6379'])],
    () => r.pick([['bogus'], ['-x'], ['help', 'nope'], ['--version', 'extra'], ['select'], ['prune'], ['prune', '--input', 'x.npy', '--budget', '3']]),
  ])();
}

const isFlag = (a) => a.startsWith('-') && a.length > 1 && !/^-\d/.test(a);

/** Mutations of an argument list; `files` collects malformed inputs to write for the case. */
function mutateArgs(r, args, files, pool, malformedFirst) {
  const a = args.slice();
  const valueAt = () => { const spots = a.map((v, i) => (i > 0 && isFlag(a[i - 1]) && !isFlag(v) ? i : -1)).filter((i) => i >= 0); return spots.length ? r.pick(spots) : -1; };
  const ops = {
    dropValue: () => { const i = valueAt(); if (i > 0) a.splice(i, 1); },
    dropFlag: () => { const i = valueAt(); if (i > 0) a.splice(i - 1, 2); },
    repeatFlag: () => { const i = valueAt(); if (i > 0) a.push(a[i - 1], a[i]); },
    badValue: () => { const i = valueAt(); if (i > 0) a[i] = r.pick(BAD_VALUES); },
    badFile: () => { const spots = a.map((v, i) => (i > 0 && FILE_FLAGS.has(a[i - 1]) ? i : -1)).filter((i) => i >= 0); if (spots.length) a[r.pick(spots)] = r.pick(BAD_FILES); },
    badOutput: () => {
      const spots = a.map((v, i) => (i > 0 && OUTPUT_FLAGS.has(a[i - 1]) ? i : -1)).filter((i) => i >= 0);
      if (spots.length) a[r.pick(spots)] = r.pick(BAD_OUTPUTS);
      else a.push(r.pick(['--out', '-o', '--labels-out', '--chart']), r.pick(BAD_OUTPUTS));
    },
    unknown: () => a.splice(r.int(a.length + 1), 0, r.pick(UNKNOWN)),
    command: () => { a[0] = r.pick(['select', 'prune', 'train', 'worker', 'help', 'Select', '']); },
    move: () => { const i = valueAt(); if (i > 0) { const pair = a.splice(i - 1, 2); a.splice(1 + r.int(a.length), 0, ...pair); } },
    malformedInput: () => {
      const i = a.findIndex((v) => v === '--input' || v === '--labels' || v === '--logits');
      if (i < 0 || i + 1 >= a.length) return;
      const format = /\.npy$/.test(a[i + 1]) ? 'npy' : /\.csv$/.test(a[i + 1]) ? 'csv' : /\.svm$/.test(a[i + 1]) ? 'libsvm' : 'idx';
      const name = { npy: 'bad.npy', csv: 'bad.csv', libsvm: 'bad.svm', idx: 'bad-idx3-ubyte' }[format];
      files[name] = mutate(r, r.pick(pool[format]), pool[format]).bytes;
      a[i + 1] = name;
    },
  };
  const names = Object.keys(ops);
  const applied = [];
  if (malformedFirst) { ops.malformedInput(); applied.push('malformedInput'); }
  for (let k = r.pick([1, 1, 2, 3]); k > 0; k--) { const n = r.pick(names); ops[n](); applied.push(n); }
  return { args: a, applied };
}

/** The command line of case `i` of a run: unmutated one time in ten. */
export function makeCliCase(pool, seed, i) {
  const r = makeRandom(iterationSeed(seed ^ 0x5bd1e995, i));
  const base = template(r);
  const files = {};
  if (r.chance(0.1)) return { args: base, applied: [], files };
  // a malformed input is likelier to reach the readers: one case in three gets one
  const { args, applied } = mutateArgs(r, base, files, pool, r.chance(0.33));
  return { args, applied, files };
}

/** Every file under `dir` (one level of folders), name to content hash. */
function snapshot(dir) {
  const out = new Map();
  const walk = (d, prefix) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else out.set(prefix + name, createHash('sha1').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir, '');
  return out;
}

const INTERNAL = /\b(TypeError|RangeError|ReferenceError|SyntaxError|AggregateError)\b|Cannot read propert|is not a function|is not defined|is not iterable|\bundefined\b|Invalid typed array|Maximum call stack|out of memory|\bERR_[A-Z_]+|\[object /;

/**
 * Run one case in `dir` (prepared by prepareWorkspace) and check it; returns { outcome:
 * 'ok' | 'error' | 'finding', problem?, status, ms }. `lib` reads the outputs back.
 */
export function runCliCase(c, { dir, bin, lib, timeoutMs = 60_000 }) {
  for (const [name, data] of Object.entries(c.files)) writeFileSync(join(dir, name), data);
  const before = snapshot(dir);
  const start = performance.now();
  const res = spawnSync(process.execPath, [bin, ...c.args], { cwd: dir, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, ADACORE_DEBUG: '1', NO_COLOR: '1' } });
  const ms = performance.now() - start;
  const after = snapshot(dir);
  const changed = [...after].filter(([name, hash]) => before.get(name) !== hash).map(([name]) => name);
  const removed = [...before.keys()].filter((name) => !after.has(name));
  const done = (outcome, problem) => ({ outcome, problem, status: res.status, ms, stderr: res.stderr?.slice(0, 400) });
  try {
    return judge(c, res, { dir, lib, changed, removed, done, ms });
  } finally {
    // put the folder back for the next case
    for (const name of changed) rmSync(join(dir, name), { force: true });
    prepareWorkspace(dir);
    for (const name of Object.keys(c.files)) rmSync(join(dir, name), { force: true });
  }
}

function judge(c, res, { dir, lib, changed, removed, done, ms }) {
  if (res.error?.code === 'ETIMEDOUT' || res.signal) return done('finding', `no exit after ${(ms / 1000).toFixed(0)} s (${res.signal ?? res.error.code})`);
  if (res.error) return done('finding', `spawn failed: ${res.error.message}`);
  if (removed.length) return done('finding', `removed ${removed.join(', ')}`);
  if (/^\s{4}at /m.test(res.stderr)) return done('finding', `stack trace on stderr: ${res.stderr.split('\n')[0].slice(0, 200)}`);
  if (res.status === 0) {
    const problem = checkSuccess(c, res, dir, changed, lib);
    return problem === undefined ? done('ok') : done('finding', problem);
  }
  if (c.args.length === 0) return done('error');
  if (res.status !== 1 && res.status !== 2) return done('finding', `exit status ${res.status}`);
  if (!/^adacore: [^\n]+\n$/.test(res.stderr)) return done('finding', `stderr is not one "adacore: ..." line: ${JSON.stringify(res.stderr.slice(0, 300))}`);
  if (res.stderr.length > 1000) return done('finding', `a ${res.stderr.length}-character error line`);
  if (INTERNAL.test(res.stderr)) return done('finding', `internal error leaked: ${res.stderr.trim().slice(0, 300)}`);
  if (res.stdout !== '') return done('finding', `failed but wrote ${res.stdout.length} characters to stdout`);
  if (changed.length) return done('finding', `failed but changed or left ${changed.join(', ')}`);
  return done('error');
}

/** What a successful run must have written: JSON with finite numbers, readable row files, nothing else. */
function checkSuccess(c, res, dir, changed, lib) {
  const command = c.args[0];
  const outputs = new Set(c.args.filter((_, i) => i > 0 && OUTPUT_FLAGS.has(c.args[i - 1])).map((p) => p.replace(/^\.\//, '')));
  const stray = changed.filter((name) => !outputs.has(name));
  if (stray.length) return `succeeded but also wrote ${stray.join(', ')}`;
  const inputs = c.args.filter((_, i) => i > 0 && FILE_FLAGS.has(c.args[i - 1]));
  const overwritten = changed.filter((name) => inputs.includes(name) && !(name in c.files));
  if (overwritten.length) return `succeeded by overwriting its input ${overwritten.join(', ')}`;
  const json = (text, where) => {
    let doc;
    try { doc = JSON.parse(text); } catch { return `${where} is not JSON`; }
    const numbers = [...(doc.indices ?? []), ...(doc.weights ?? []), ...(doc.gains ?? []), ...(doc.cost === undefined ? [] : [doc.cost])];
    if (numbers.some((v) => typeof v !== 'number' || !Number.isFinite(v))) return `${where} has a non-finite or null number`;
    if (doc.indices && !doc.indices.every((v) => Number.isInteger(v) && v >= 0 && v < doc.rows)) return `${where} has an index outside 0..${doc.rows - 1}`;
    return undefined;
  };
  if (c.args.includes('--help') || c.args.includes('-h') || ['help', '--version', '-v', '-h', '--help'].includes(command)) {
    if (changed.length) return `help or version wrote ${changed.join(', ')}`;
    return res.stdout.length > 0 ? undefined : 'help or version printed nothing';
  }
  if (command === 'select' || command === 'train') {
    const at = c.args.findIndex((a) => a === '--out' || a === '-o');
    if (at < 0) return json(res.stdout, 'stdout');
    const out = c.args[at + 1];
    if (!changed.includes(out)) return `succeeded but did not write --out ${out}`;
    return json(readFileSync(join(dir, out), 'utf8'), out);
  }
  if (command === 'prune') {
    for (const name of outputs) {
      if (!changed.includes(name)) continue;
      const bytes = new Uint8Array(readFileSync(join(dir, name)));
      try {
        const m = name.endsWith('.npy') ? lib.readNpyMatrix(bytes, { source: name }) : lib.readCsvMatrix(bytes, { source: name });
        if (m.rows === 0 || !m.data.every(Number.isFinite)) return `${name} has no rows or a non-finite value`;
      } catch (e) {
        if (!name.endsWith('.npy') || !/1-D|2-D/.test(String(e.message))) return `${name} does not read back: ${e.message}`;
      }
    }
  }
  return undefined;
}

/** Run `count` cases seeded `seed`; counts and findings. */
export function fuzzCli({ count, seed, dir, bin, lib, pool, onCase }) {
  prepareWorkspace(dir);
  const counts = { tried: 0, succeeded: 0, failedCleanly: 0, findings: 0 };
  const findings = [];
  for (let i = 0; i < count; i++) {
    const c = makeCliCase(pool, seed, i);
    onCase?.(i, c);
    const res = runCliCase(c, { dir, bin, lib });
    counts.tried++;
    if (res.outcome === 'ok') counts.succeeded++;
    else if (res.outcome === 'error') counts.failedCleanly++;
    else { counts.findings++; findings.push({ seed, case: i, args: c.args.map((a) => (a.length > 80 ? `${a.slice(0, 20)}...(${a.length} chars)` : a)), applied: c.applied, problem: res.problem, status: res.status }); }
  }
  return { counts, findings };
}
