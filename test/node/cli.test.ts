// The built CLI (bin/adacore.mjs -> dist/cli.mjs), run as a child process. Needs `npm run build`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createSelector, selectCoreset, softmaxCrossEntropyFromLogits, type SelectionMethod } from '../../src/index.js';
import { progressDisplay } from '../../src/cli/progress.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'adacore.mjs');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const FASHION = '/usr/share/datasets/fashion-mnist';
const FASHION_IMAGES = join(FASHION, 't10k-images-idx3-ubyte.gz');
const FASHION_LABELS = join(FASHION, 't10k-labels-idx1-ubyte.gz');
const TRAIN_IMAGES = join(FASHION, 'train-images-idx3-ubyte.gz');
const TRAIN_LABELS = join(FASHION, 'train-labels-idx1-ubyte.gz');

let dir: string;

interface Result { status: number | null; stdout: string; stderr: string }

/** Run the CLI in the scratch folder; ADACORE_DEBUG is cleared so no stack is printed. */
function cli(...args: string[]): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ADACORE_DEBUG: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface CoresetJson {
  indices: number[];
  weights: number[];
  gains: number[];
  cost: number;
  seconds: number;
  path: string;
  evaluations: number;
  rows: number;
  dim: number;
  options: {
    input: string; labels: string | null; budget: number; fraction: number | null; metric: string;
    optimizer: string; seed: number; epsilon: number; blockMemory: number; scale: number;
  };
  version: string;
}

function readJson(name: string): CoresetJson {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as CoresetJson;
}

/** A .npy v1.0 file with a hand-built header (padded so the data starts at a multiple of 64). */
function npy(descr: string, shape: number[], data: ArrayBufferView): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** n x dim points in a few blobs. */
function blobs(n: number, dim: number, seed: number): Float32Array {
  const r = random(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const centre = i % 4;
    for (let j = 0; j < dim; j++) out[i * dim + j] = centre * 3 + (j === centre % dim ? 2 : 0) + (r() - 0.5);
  }
  return out;
}

/** Largest-remainder split of `budget` over classes of the given sizes (ties: larger class, then lower id). */
function largestRemainder(sizes: number[], budget: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const shares = sizes.map((s) => (budget * s) / total);
  const out = shares.map(Math.floor);
  let left = budget - out.reduce((a, b) => a + b, 0);
  const order = sizes.map((_, c) => c)
    .sort((a, b) => (shares[b] % 1) - (shares[a] % 1) || sizes[b] - sizes[a] || a - b);
  for (const c of order) if (left > 0 && out[c] < sizes[c]) { out[c]++; left--; }
  return out;
}

/** Checks every coreset must pass: distinct in-range indices, weights are cluster sizes. */
function checkCoreset(json: CoresetJson, rows: number, budget: number, labels?: ArrayLike<number>): void {
  expect(json.rows).toBe(rows);
  expect(json.indices).toHaveLength(budget);
  expect(json.weights).toHaveLength(budget);
  expect(json.gains).toHaveLength(budget);
  for (const i of json.indices) {
    expect(Number.isInteger(i)).toBe(true);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThan(rows);
  }
  expect(new Set(json.indices).size).toBe(budget);
  for (const w of json.weights) {
    expect(Number.isInteger(w)).toBe(true);
    expect(w).toBeGreaterThanOrEqual(1);
  }
  expect(json.weights.reduce((a, b) => a + b, 0)).toBe(rows);
  expect(typeof json.cost).toBe('number');
  expect(json.seconds).toBeGreaterThanOrEqual(0);
  expect(['dense', 'tiled', 'dense+tiled']).toContain(json.path);
  expect(Number.isInteger(json.evaluations)).toBe(true);
  expect(json.version).toBe(VERSION);
  if (labels) {
    const values = [...new Set(Array.from(labels))].sort((a, b) => a - b);
    const sizes = values.map((v) => Array.from(labels).filter((l) => l === v).length);
    const picked = values.map((v) => json.indices.filter((i) => labels[i] === v).length);
    expect(picked).toEqual(largestRemainder(sizes, budget));
    // Each row counts towards a pick of its own class, so per-class weights are the class sizes.
    const weightOf = values.map((v) => json.indices.reduce((sum, i, k) => sum + (labels[i] === v ? json.weights[k] : 0), 0));
    expect(weightOf).toEqual(sizes);
  }
}

/** The CLI's answer equals the library's on the same data and options. */
async function expectSameAsLibrary(
  json: CoresetJson, data: Float32Array | Float64Array, dim: number, options: Record<string, unknown>,
): Promise<void> {
  const c = await selectCoreset(data, { dim, ...options });
  expect(json.indices).toEqual(Array.from(c.indices));
  expect(json.weights).toEqual(Array.from(c.weights));
  expect(json.gains).toEqual(Array.from(c.gains));
  expect(json.cost).toBe(c.cost);
  expect(json.path).toBe(c.path);
  expect(json.evaluations).toBe(c.evaluations);
}

// Shared small data: 60 x 4 float32 with labels 0 (30 rows), 1 (20), 2 (10).
const N = 60;
const D = 4;
const X = blobs(N, D, 11);
const LABELS = Array.from({ length: N }, (_, i) => (i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2));
// Logits of a 3-class model for those rows: mostly right, some confidently wrong.
const Z = (() => {
  const r = random(21);
  const z = new Float32Array(N * 3);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < 3; c++) z[i * 3 + c] = 4 * (r() - 0.5) + (c === LABELS[i] ? 2 : 0) + (i % 7 === 0 && c === (LABELS[i] + 1) % 3 ? 5 : 0);
  }
  return z;
})();

interface MethodJson extends Omit<CoresetJson, 'options'> {
  method: SelectionMethod;
  options: {
    method: SelectionMethod; input: string | null; logits: string | null; labels: string | null; budget: number;
    fraction: number | null; metric: string; optimizer: string; seed: number; epsilon: number | null; blockMemory: number;
    scale: number; hessianPower: number | null; preconditionEpsilon: number | null; beta: number | null;
    biasCorrection: boolean | null; preconditioning: string | null;
  };
}

function readMethodJson(name: string): MethodJson {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as MethodJson;
}

/** The CLI's answer equals one round of the library's selector on the closed-form gradients. */
async function expectSameAsSelector(json: MethodJson, method: SelectionMethod, options: Record<string, unknown>, round: Record<string, unknown>): Promise<void> {
  const batch = softmaxCrossEntropyFromLogits(Z, N, 3, LABELS);
  const s = await createSelector(method, { ...options, measureCost: true }).select(batch, { labels: LABELS, ...round });
  expect(json.indices).toEqual(Array.from(s.indices));
  expect(json.weights).toEqual(Array.from(s.weights));
  expect(json.gains).toEqual(Array.from(s.gains));
  expect(json.cost).toBe(s.cost);
  expect(json.path).toBe(s.path);
  expect(json.evaluations).toBe(s.evaluations);
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.mjs'))) throw new Error('dist/cli.mjs is missing: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'adacore-cli-'));
  writeFileSync(join(dir, 'x.npy'), npy('<f4', [N, D], X));
  writeFileSync(join(dir, 'y.npy'), npy('<i8', [N], BigInt64Array.from(LABELS, BigInt)));
  writeFileSync(join(dir, 'yf.npy'), npy('<f8', [N], Float64Array.from(LABELS)));
  writeFileSync(join(dir, 'z.npy'), npy('<f4', [N, 3], Z));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('adacore --help / --version', () => {
  it('prints the version from package.json', () => {
    const r = cli('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it('prints the usage', () => {
    const main = cli('--help');
    expect(main.status).toBe(0);
    expect(main.stdout).toMatch(/^Usage: adacore <command>/);
    expect(main.stdout).toContain('select');
    const select = cli('select', '--help');
    expect(select.status).toBe(0);
    for (const flag of ['--input', '--labels', '--budget', '--fraction', '--metric', '--optimizer', '--seed',
      '--epsilon', '--block-memory', '--scale', '--max-input-bytes', '--out', '--quiet', '--method', '--logits',
      '--hessian-power', '--precondition-epsilon', '--beta', '--preconditioning', 'adacore | craig | random',
      '--partition-size', '--oversampling', '--threads', 'partitioned', '--stochastic-epsilon']) {
      expect(select.stdout).toContain(flag);
    }
    const none = cli();
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^Usage: adacore/);
  });
});

describe('adacore select', () => {
  it('writes a correct coreset for Fashion-MNIST (IDX, gzipped) with labels', () => {
    const r = cli('select', '--input', FASHION_IMAGES, '--labels', FASHION_LABELS, '--fraction', '0.02',
      '--scale', '0.00392156862745098', '--out', 'fashion.json');
    expect(r.stderr).toMatch(/^selected 200 of 10000 rows in 10 classes \(path \S+, [\d.]+ s\), wrote fashion\.json\n$/);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const json = readJson('fashion.json');
    const labels = gunzipSync(readFileSync(FASHION_LABELS)).subarray(8);
    expect(labels.length).toBe(10000);
    checkCoreset(json, 10000, 200, labels);
    expect(json.dim).toBe(784);
    expect(json.options).toEqual({
      input: FASHION_IMAGES, labels: FASHION_LABELS, budget: 200, fraction: 0.02, metric: 'euclidean',
      optimizer: 'lazy', seed: 0, epsilon: 0.01, blockMemory: 512 * 1024 * 1024, partitionSize: null, oversampling: null, threads: 1, scale: 0.00392156862745098,
    });
    expect(json.gains.every((g) => Number.isFinite(g) && g >= 0)).toBe(true);
  });

  it('--optimizer partitioned --threads 2: the same picks as one thread, options reported', () => {
    const args = ['select', '--input', FASHION_IMAGES, '--labels', FASHION_LABELS, '--fraction', '0.1',
      '--scale', '0.00392156862745098', '--optimizer', 'partitioned', '--partition-size', '200', '--oversampling', '2', '--quiet'];
    const one = cli(...args);
    const two = cli(...args, '--threads', '2');
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    const a = JSON.parse(one.stdout) as CoresetJson & { options: Record<string, unknown> };
    const b = JSON.parse(two.stdout) as CoresetJson & { options: Record<string, unknown> };
    expect(b.indices).toEqual(a.indices);
    expect(b.weights).toEqual(a.weights);
    expect(a.options).toMatchObject({ optimizer: 'partitioned', partitionSize: 200, oversampling: 2, threads: 1 });
    expect(b.options).toMatchObject({ optimizer: 'partitioned', partitionSize: 200, oversampling: 2, threads: 2 });
    const bad = cli('select', '--input', 'x.npy', '--budget', '3', '--threads', '0');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--threads: expected an integer from 1 to 256, got 0/);
    const badSize = cli('select', '--input', 'x.npy', '--budget', '3', '--partition-size', '1');
    expect(badSize.stderr).toMatch(/--partition-size: expected an integer of at least 2, got 1/);
  });

  it('round-trips .npy data and .npy labels (int64 and whole float64)', async () => {
    const r = cli('select', '--input', 'x.npy', '--labels', 'y.npy', '--budget', '7', '--out', 'npy.json', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = readJson('npy.json');
    checkCoreset(json, N, 7, LABELS);
    expect(json.dim).toBe(D);
    expect(json.options).toMatchObject({ input: 'x.npy', labels: 'y.npy', budget: 7, fraction: null });
    await expectSameAsLibrary(json, X, D, { labels: LABELS, budget: 7 });

    const f = cli('select', '--input', 'x.npy', '--labels', 'yf.npy', '--budget', '7', '--quiet');
    expect(f.status).toBe(0);
    const fromStdout = JSON.parse(f.stdout) as CoresetJson;
    expect(fromStdout.indices).toEqual(json.indices);
    expect(fromStdout.weights).toEqual(json.weights);
  });

  it('passes metric, optimizer and memory budget through', async () => {
    const r = cli('select', '--input', 'x.npy', '--budget', '9', '--metric', 'cosine', '--optimizer', 'naive',
      '--block-memory', '0', '--out', 'opts.json', '--quiet');
    expect(r.status).toBe(0);
    const json = readJson('opts.json');
    checkCoreset(json, N, 9);
    expect(json.path).toBe('tiled');
    expect(json.options).toMatchObject({ metric: 'cosine', optimizer: 'naive', blockMemory: 0, labels: null });
    await expectSameAsLibrary(json, X, D, { budget: 9, metric: 'cosine', optimizer: 'naive', blockMemory: 0 });
  });

  it('reads CSV with a header line (data and labels)', async () => {
    const rows = ['a,b,c'];
    const data = new Float64Array(40 * 3);
    const r = random(5);
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 3; j++) data[i * 3 + j] = Math.round((r() * 10 + (i % 2) * 20) * 1000) / 1000;
      rows.push(Array.from(data.subarray(i * 3, i * 3 + 3)).join(','));
    }
    writeFileSync(join(dir, 'table.csv'), rows.join('\n') + '\n');
    const labels = Array.from({ length: 40 }, (_, i) => (i % 2 ? 5 : 2));
    writeFileSync(join(dir, 'labels.csv'), ['class', ...labels].join('\n'));
    const out = cli('select', '--input', 'table.csv', '--labels', 'labels.csv', '--fraction', '0.25', '--out', 'csv.json');
    expect(out.status).toBe(0);
    expect(out.stderr).toMatch(/^selected 10 of 40 rows in 2 classes/);
    const json = readJson('csv.json');
    checkCoreset(json, 40, 10, labels);
    expect(json.dim).toBe(3);
    await expectSameAsLibrary(json, data, 3, { labels, fraction: 0.25 });
  });

  it('reads LIBSVM with inline labels, and --labels overrides them', async () => {
    const r = random(9);
    const n = 30;
    const dim = 5;
    const dense = new Float32Array(n * dim);
    const inline: number[] = [];
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const label = i % 3 === 0 ? 1 : -1;
      inline.push(label);
      const tokens = [String(label)];
      for (let j = 0; j < dim; j++) {
        if ((i + j) % 3 === 0) continue; // sparse: leave some features out
        const v = Math.round(r() * 1000) / 100 + (label > 0 ? 5 : 0);
        dense[i * dim + j] = v;
        tokens.push(`${j + 1}:${v}`);
      }
      lines.push(tokens.join(' '));
    }
    // Make sure the last feature appears so the inferred dim is 5.
    expect(lines.some((l) => l.includes(` ${dim}:`))).toBe(true);
    writeFileSync(join(dir, 'data.svm'), `# a comment\n${lines.join('\n')}\n`);

    const a = cli('select', '--input', 'data.svm', '--budget', '6', '--out', 'svm.json', '--quiet');
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    const json = readJson('svm.json');
    checkCoreset(json, n, 6, inline);
    expect(json.dim).toBe(dim);
    expect(json.options.labels).toBe('data.svm');
    await expectSameAsLibrary(json, dense, dim, { labels: inline, budget: 6 });

    writeFileSync(join(dir, 'one-class.npy'), npy('<i4', [n], new Int32Array(n)));
    const b = cli('select', '--input', 'data.svm', '--labels', 'one-class.npy', '--budget', '6', '--out', 'svm2.json', '--quiet');
    expect(b.status).toBe(0);
    const overridden = readJson('svm2.json');
    checkCoreset(overridden, n, 6);
    expect(overridden.options.labels).toBe('one-class.npy');
    await expectSameAsLibrary(overridden, dense, dim, { budget: 6 });

    // Real-valued targets are not classes: an error naming the row, unless --labels replaces them.
    writeFileSync(join(dir, 'targets.svm'), lines.map((l, i) => l.replace(/^\S+/, String(i / 4))).join('\n'));
    const c = cli('select', '--input', 'targets.svm', '--budget', '6', '--quiet');
    expect(c.status).toBe(1);
    expect(c.stderr).toBe('adacore: targets.svm: label at row 1 is 0.25, not an integer class\n');
    const d = cli('select', '--input', 'targets.svm', '--labels', 'one-class.npy', '--budget', '6', '--quiet');
    expect(d.status).toBe(0);
    expect((JSON.parse(d.stdout) as CoresetJson).indices).toEqual(overridden.indices);
  });

  it('gives identical output for the same seed', () => {
    const args = ['select', '--input', 'x.npy', '--labels', 'y.npy', '--budget', '12', '--optimizer', 'stochastic',
      '--seed', '4242', '--epsilon', '0.2', '--quiet'];
    const a = cli(...args, '--out', 'seed-a.json');
    const b = cli(...args, '--out', 'seed-b.json');
    const c = cli(...args);
    expect([a.status, b.status, c.status]).toEqual([0, 0, 0]);
    const strip = (j: CoresetJson) => ({ ...j, seconds: 0 });
    const ja = readJson('seed-a.json');
    checkCoreset(ja, N, 12, LABELS);
    expect(ja.options).toMatchObject({ optimizer: 'stochastic', seed: 4242, epsilon: 0.2 });
    expect(strip(readJson('seed-b.json'))).toEqual(strip(ja));
    expect(strip(JSON.parse(c.stdout) as CoresetJson)).toEqual(strip(ja));
  });

  it('stops on SIGINT with exit 130 and writes nothing', async () => {
    const out = join(dir, 'interrupted.json');
    // Naive greedy on Fashion-MNIST's 60000 training images (10 dense classes of 6000) takes
    // tens of seconds, in short steps that let the abort through.
    const child = spawn(process.execPath, [BIN, 'select', '--input', TRAIN_IMAGES, '--labels', TRAIN_LABELS,
      '--fraction', '0.05', '--optimizer', 'naive', '--out', out], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const sent = Date.now();
    child.kill('SIGINT');
    const { code, signal } = await exited;
    clearTimeout(killer);
    expect(signal).toBeNull();
    expect(code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(stderr).toBe('adacore: interrupted; no output written\n');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.interrupted'))).toEqual([]);
  });
});

describe('adacore select --method', () => {
  it('adacore on softmax cross-entropy gradients of --logits', async () => {
    const r = cli('select', '--method', 'adacore', '--logits', 'z.npy', '--labels', 'y.npy', '--fraction', '0.2', '--out', 'adacore.json');
    expect(r.stderr).toMatch(/^selected 12 of 60 rows in 3 classes by adacore \(path dense, [\d.]+ s\), wrote adacore\.json\n$/);
    expect(r.status).toBe(0);
    const json = readMethodJson('adacore.json');
    checkCoreset(json as unknown as CoresetJson, N, 12, LABELS);
    expect(json.dim).toBe(3);
    expect(json.method).toBe('adacore');
    expect(json.options).toEqual({
      method: 'adacore', input: null, logits: 'z.npy', labels: 'y.npy', budget: 12, fraction: 0.2, metric: 'euclidean',
      optimizer: 'partitioned', seed: 0, epsilon: null, blockMemory: 512 * 1024 * 1024, partitionSize: 512, oversampling: 3, threads: 1, scale: 1, hessianPower: 1,
      preconditionEpsilon: 1e-4, beta: 0.9, biasCorrection: true, preconditioning: 'per-example',
    });
    await expectSameAsSelector(json, 'adacore', {}, { fraction: 0.2 });

    // --logits alone means --method adacore.
    const implicit = cli('select', '--logits', 'z.npy', '--labels', 'y.npy', '--fraction', '0.2', '--quiet');
    expect(implicit.status).toBe(0);
    expect((JSON.parse(implicit.stdout) as MethodJson).indices).toEqual(json.indices);
  });

  it('passes AdaCore\'s options through', async () => {
    const r = cli('select', '--method', 'adacore', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '9',
      '--hessian-power', '0.5', '--precondition-epsilon', '0.01', '--beta', '0.5', '--preconditioning', 'shared',
      '--optimizer', 'stochastic', '--stochastic-epsilon', '0.3', '--seed', '5', '--out', 'knobs.json', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = readMethodJson('knobs.json');
    checkCoreset(json as unknown as CoresetJson, N, 9, LABELS);
    expect(json.options).toMatchObject({
      hessianPower: 0.5, preconditionEpsilon: 0.01, beta: 0.5, preconditioning: 'shared', optimizer: 'stochastic', epsilon: 0.3, seed: 5,
    });
    await expectSameAsSelector(json, 'adacore', {
      hessianPower: 0.5, preconditionEpsilon: 0.01, beta: 0.5, preconditioning: 'shared', optimizer: 'stochastic', epsilon: 0.3, seed: 5,
    }, { budget: 9 });
  });

  it('--epsilon with --method adacore is AdaCore\'s epsilon (issue 3\'s CLI), the same as --precondition-epsilon', async () => {
    const a = cli('select', '--method', 'adacore', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '9', '--epsilon', '0.001', '--quiet');
    const b = cli('select', '--method', 'adacore', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '9', '--precondition-epsilon', '0.001', '--quiet');
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    const ja = JSON.parse(a.stdout) as MethodJson;
    const jb = JSON.parse(b.stdout) as MethodJson;
    expect(ja.options).toMatchObject({ preconditionEpsilon: 0.001, epsilon: null });
    expect(ja.indices).toEqual(jb.indices);
    await expectSameAsSelector(ja, 'adacore', { preconditionEpsilon: 0.001 }, { budget: 9 });
  });

  it('craig on the same gradients; --hessian-power 0 picks the same rows', async () => {
    const r = cli('select', '--method', 'craig', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '10', '--out', 'craig.json', '--quiet');
    expect(r.status).toBe(0);
    const json = readMethodJson('craig.json');
    checkCoreset(json as unknown as CoresetJson, N, 10, LABELS);
    expect(json.method).toBe('craig');
    expect(json.options).toMatchObject({ method: 'craig', hessianPower: null, beta: null, preconditionEpsilon: null, preconditioning: null });
    await expectSameAsSelector(json, 'craig', {}, { budget: 10 });
    const flat = cli('select', '--method', 'adacore', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '10', '--hessian-power', '0', '--quiet');
    expect(flat.status).toBe(0);
    const adacore = JSON.parse(flat.stdout) as MethodJson;
    expect(adacore.indices).toEqual(json.indices);
    expect(adacore.weights).toEqual(json.weights);
  });

  it('craig on --input rows matches the plain selection', () => {
    const plain = cli('select', '--input', 'x.npy', '--labels', 'y.npy', '--budget', '8', '--quiet');
    const craig = cli('select', '--method', 'craig', '--input', 'x.npy', '--labels', 'y.npy', '--budget', '8', '--quiet');
    expect([plain.status, craig.status]).toEqual([0, 0]);
    const a = JSON.parse(plain.stdout) as CoresetJson;
    const b = JSON.parse(craig.stdout) as MethodJson;
    expect(b.indices).toEqual(a.indices);
    expect(b.weights).toEqual(a.weights);
    expect(b.options).toMatchObject({ input: 'x.npy', logits: null, method: 'craig' });
    expect('method' in a).toBe(false);
  });

  it('random: seeded, exact class budgets, weights n_c / k_c summing to n', async () => {
    const args = ['select', '--method', 'random', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '12', '--seed', '77', '--quiet'];
    const a = cli(...args, '--out', 'random-a.json');
    const b = cli(...args);
    expect([a.status, b.status]).toEqual([0, 0]);
    const json = readMethodJson('random-a.json');
    expect({ ...(JSON.parse(b.stdout) as MethodJson), seconds: 0 }).toEqual({ ...json, seconds: 0 });
    expect(json).toMatchObject({ method: 'random', path: 'none', evaluations: 0 });
    expect(json.options).toMatchObject({ method: 'random', optimizer: 'none', seed: 77, epsilon: null });
    expect(new Set(json.indices).size).toBe(12);
    expect(json.gains).toEqual(new Array(12).fill(0));
    const sizes = [30, 20, 10];
    const budgets = largestRemainder(sizes, 12);
    expect([0, 1, 2].map((c) => json.indices.filter((i) => LABELS[i] === c).length)).toEqual(budgets);
    json.indices.forEach((i, p) => expect(json.weights[p]).toBe(Math.fround(sizes[LABELS[i]] / budgets[LABELS[i]])));
    expect(json.weights.reduce((x, y) => x + y, 0)).toBeCloseTo(N, 4);
    await expectSameAsSelector(json, 'random', { seed: 77 }, { budget: 12 });
    const other = cli('select', '--method', 'random', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '12', '--seed', '78', '--quiet');
    expect((JSON.parse(other.stdout) as MethodJson).indices).not.toEqual(json.indices);
  });
});

describe('adacore select errors', () => {
  beforeAll(() => {
    const truncated = npy('<f4', [N, D], X).subarray(0, 128 + 50);
    writeFileSync(join(dir, 'truncated.npy'), truncated);
    writeFileSync(join(dir, 'complex.npy'), npy('<c8', [3, 2], new Float32Array(12)));
    writeFileSync(join(dir, 'y59.npy'), npy('<i8', [N - 1], BigInt64Array.from(LABELS.slice(1), BigInt)));
    const fractional = Float64Array.from(LABELS);
    fractional[3] = 1.5;
    writeFileSync(join(dir, 'yfrac.npy'), npy('<f8', [N], fractional));
    const withNaN = X.slice();
    withNaN[7 * D + 2] = NaN;
    writeFileSync(join(dir, 'nan.npy'), npy('<f4', [N, D], withNaN));
    writeFileSync(join(dir, 'nan.csv'), 'a,b\n1,2\n3,nan\n');
    const outside = LABELS.slice();
    outside[13] = 3;
    writeFileSync(join(dir, 'y-outside.npy'), npy('<i8', [N], BigInt64Array.from(outside, BigInt)));
    const negative = LABELS.slice();
    negative[2] = -1;
    writeFileSync(join(dir, 'y-negative.npy'), npy('<i4', [N], Int32Array.from(negative)));
    const nanLogits = Z.slice();
    nanLogits[7 * 3 + 1] = NaN;
    writeFileSync(join(dir, 'z-nan.npy'), npy('<f4', [N, 3], nanLogits));
    writeFileSync(join(dir, 'z-1d.npy'), npy('<f4', [N * 3], Z));
    writeFileSync(join(dir, 'z-one-column.npy'), npy('<f4', [N, 1], Z.subarray(0, N)));
  });

  const cases: { name: string; args: string[]; status: number; message: RegExp }[] = [
    { name: 'missing input file', args: ['--input', 'missing.npy', '--budget', '3'], status: 1, message: /missing\.npy: no such file/ },
    { name: 'missing labels file', args: ['--input', 'x.npy', '--labels', 'nolabels.npy', '--budget', '3'], status: 1, message: /nolabels\.npy: no such file/ },
    { name: 'truncated .npy', args: ['--input', 'truncated.npy', '--budget', '3'], status: 1, message: /truncated\.npy: truncated/ },
    { name: 'unsupported dtype', args: ['--input', 'complex.npy', '--budget', '1'], status: 1, message: /complex\.npy: unsupported dtype '<c8'/ },
    { name: 'unknown file type', args: ['--input', 'data.bin', '--budget', '1'], status: 1, message: /data\.bin: unknown data file type/ },
    { name: 'budget 0', args: ['--input', 'x.npy', '--budget', '0'], status: 2, message: /--budget: expected a positive integer/ },
    { name: 'budget > n', args: ['--input', 'x.npy', '--budget', '61'], status: 1, message: /--budget: 61 is more than the 60 rows/ },
    { name: 'budget 2.5', args: ['--input', 'x.npy', '--budget', '2.5'], status: 2, message: /--budget: expected a positive integer.*2\.5/ },
    { name: 'budget 10x', args: ['--input', 'x.npy', '--budget', '10x'], status: 2, message: /--budget: .*"10x"/ },
    { name: 'fraction 1.5', args: ['--input', 'x.npy', '--fraction', '1.5'], status: 2, message: /--fraction: expected a number in \(0, 1\]/ },
    { name: 'budget and fraction', args: ['--input', 'x.npy', '--budget', '3', '--fraction', '0.1'], status: 2, message: /either --budget or --fraction/ },
    { name: 'neither budget nor fraction', args: ['--input', 'x.npy'], status: 2, message: /--budget .*--fraction/ },
    { name: 'no input', args: ['--budget', '3'], status: 2, message: /--input is required/ },
    { name: 'budget below the classes', args: ['--input', 'x.npy', '--labels', 'y.npy', '--budget', '2'], status: 1, message: /--budget: 2 is smaller than the 3 classes/ },
    { name: 'unknown metric', args: ['--input', 'x.npy', '--budget', '3', '--metric', 'manhattan'], status: 2, message: /--metric: unknown metric "manhattan"; expected one of euclidean, sqeuclidean, cosine$/ },
    { name: 'unknown optimizer', args: ['--input', 'x.npy', '--budget', '3', '--optimizer', 'greedy'], status: 2, message: /--optimizer: unknown optimizer "greedy"; expected one of auto, lazy, stochastic, naive, partitioned, spatial, proportional$/ },
    { name: 'bad seed', args: ['--input', 'x.npy', '--budget', '3', '--seed', '-1'], status: 2, message: /--seed/ },
    { name: 'bad epsilon', args: ['--input', 'x.npy', '--budget', '3', '--epsilon', '1'], status: 2, message: /--epsilon/ },
    { name: 'bad memory budget', args: ['--input', 'x.npy', '--budget', '3', '--block-memory', 'lots'], status: 2, message: /--block-memory/ },
    { name: '--scale on non-IDX input', args: ['--input', 'x.npy', '--budget', '3', '--scale', '0.5'], status: 2, message: /--scale applies only to IDX/ },
    { name: 'labels of wrong length', args: ['--input', 'x.npy', '--labels', 'y59.npy', '--budget', '3'], status: 1, message: /y59\.npy: has 59 labels but x\.npy has 60 rows/ },
    { name: 'non-integer labels', args: ['--input', 'x.npy', '--labels', 'yfrac.npy', '--budget', '3'], status: 1, message: /yfrac\.npy: label at position 3 is 1\.5, not an integer/ },
    { name: 'NaN in .npy data', args: ['--input', 'nan.npy', '--budget', '3'], status: 1, message: /nan\.npy: row 7, column 2 is NaN/ },
    { name: 'NaN in CSV data', args: ['--input', 'nan.csv', '--budget', '1'], status: 1, message: /nan\.csv: row 1, column 1 is NaN/ },
    { name: 'input over --max-input-bytes', args: ['--input', FASHION_IMAGES, '--budget', '3', '--max-input-bytes', '1M'], status: 1, message: /too large for --max-input-bytes 1048576/ },
    { name: 'decoded input over --max-input-bytes', args: ['--input', FASHION_IMAGES, '--budget', '3', '--max-input-bytes', '5M'], status: 1, message: /exceeds --max-input-bytes/ },
    { name: 'unknown flag', args: ['--input', 'x.npy', '--budget', '3', '--frobnicate'], status: 2, message: /unknown option --frobnicate/ },
    { name: 'missing value', args: ['--input', 'x.npy', '--budget'], status: 2, message: /--budget needs a value/ },
    { name: 'flag as a value', args: ['--input', 'x.npy', '--budget', '--quiet'], status: 2, message: /--budget needs a value/ },
    { name: 'positional argument', args: ['x.npy', '--budget', '3'], status: 2, message: /unexpected argument "x\.npy"/ },
    { name: 'repeated flag', args: ['--input', 'x.npy', '--budget', '3', '--budget', '4'], status: 2, message: /--budget is given more than once/ },
    // --method and --logits
    { name: 'labels outside the classes', args: ['--method', 'adacore', '--logits', 'z.npy', '--labels', 'y-outside.npy', '--budget', '3'], status: 1, message: /^adacore: y-outside\.npy: row 13 has label 3, outside the classes 0\.\.2 \(the logits have 3 columns\)$/ },
    { name: 'negative label', args: ['--method', 'craig', '--logits', 'z.npy', '--labels', 'y-negative.npy', '--budget', '3'], status: 1, message: /y-negative\.npy: row 2 has label -1/ },
    { name: 'NaN logits', args: ['--method', 'adacore', '--logits', 'z-nan.npy', '--labels', 'y.npy', '--budget', '3'], status: 1, message: /^adacore: z-nan\.npy: row 7, column 1 is NaN; every logit must be a finite number$/ },
    { name: '1-D logits', args: ['--method', 'adacore', '--logits', 'z-1d.npy', '--labels', 'y.npy', '--budget', '3'], status: 1, message: /z-1d\.npy: expected a 2-D array \(rows, dim\)/ },
    { name: 'one-column logits', args: ['--method', 'random', '--logits', 'z-one-column.npy', '--labels', 'y.npy', '--budget', '3'], status: 1, message: /z-one-column\.npy: expected an integer of at least 2 \(the logits' columns\), got 1/ },
    { name: 'logits and labels of different lengths', args: ['--method', 'adacore', '--logits', 'z.npy', '--labels', 'y59.npy', '--budget', '3'], status: 1, message: /y59\.npy: has 59 labels but z\.npy has 60 rows/ },
    { name: 'logits without labels', args: ['--method', 'adacore', '--logits', 'z.npy', '--budget', '3'], status: 2, message: /--logits needs --labels/ },
    { name: 'input and logits', args: ['--input', 'x.npy', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3'], status: 2, message: /either --input .* or --logits .*, not both/ },
    { name: 'adacore on --input', args: ['--method', 'adacore', '--input', 'x.npy', '--budget', '3'], status: 2, message: /--method adacore needs --logits/ },
    { name: 'method without data', args: ['--method', 'craig', '--budget', '3'], status: 2, message: /--input is required .*--logits/ },
    { name: 'unknown method', args: ['--method', 'herding', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3'], status: 2, message: /--method: unknown method "herding"; expected one of adacore, craig, random$/ },
    { name: '--epsilon and --precondition-epsilon with adacore', args: ['--method', 'adacore', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3', '--epsilon', '0.001', '--precondition-epsilon', '0.01'], status: 2, message: /--epsilon and --precondition-epsilon are the same knob/ },
    { name: 'bad --epsilon with adacore', args: ['--method', 'adacore', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3', '--epsilon', '0'], status: 2, message: /--epsilon: expected a positive number/ },
    { name: '--epsilon with craig but not stochastic greedy', args: ['--method', 'craig', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3', '--epsilon', '0.1'], status: 2, message: /--epsilon: is stochastic greedy's epsilon and applies only with --optimizer stochastic \(the optimizer is 'partitioned'\); AdaCore's preconditioner epsilon is --precondition-epsilon$/ },
    { name: '--stochastic-epsilon without stochastic greedy', args: ['--method', 'adacore', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3', '--stochastic-epsilon', '0.1'], status: 2, message: /--stochastic-epsilon: is stochastic greedy's epsilon/ },
    { name: '--epsilon and --stochastic-epsilon', args: ['--input', 'x.npy', '--budget', '3', '--epsilon', '0.1', '--stochastic-epsilon', '0.2'], status: 2, message: /--epsilon and --stochastic-epsilon are the same knob/ },
    { name: 'AdaCore flag with craig', args: ['--method', 'craig', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3', '--beta', '0.5'], status: 2, message: /--beta applies only to --method adacore, not craig/ },
    { name: 'AdaCore flag without --method', args: ['--input', 'x.npy', '--budget', '3', '--hessian-power', '0.5'], status: 2, message: /--hessian-power applies only to --method adacore/ },
    { name: 'bad beta', args: ['--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3', '--beta', '1'], status: 2, message: /--beta: expected a number in \[0, 1\), got 1/ },
    { name: 'bad hessian power', args: ['--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3', '--hessian-power', '2'], status: 2, message: /--hessian-power: expected a number in \[0, 1\], got 2/ },
    { name: 'bad precondition epsilon', args: ['--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3', '--precondition-epsilon', '0'], status: 2, message: /--precondition-epsilon: expected a positive number/ },
    { name: 'bad preconditioning', args: ['--logits', 'z.npy', '--labels', 'y.npy', '--budget', '3', '--preconditioning', 'global'], status: 2, message: /--preconditioning: unknown preconditioning "global"; expected one of per-example, shared$/ },
    { name: 'method budget below the classes', args: ['--method', 'random', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '2'], status: 1, message: /--budget: 2 is smaller than the 3 classes/ },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const outDir = join(dir, 'out');
      rmSync(outDir, { recursive: true, force: true });
      mkdirSync(outDir);
      const r = cli('select', ...c.args, '--out', join('out', 'coreset.json'));
      expect(r.status).toBe(c.status);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n');
      expect(lines).toHaveLength(2); // one line and its newline
      expect(lines[1]).toBe('');
      expect(lines[0]).toMatch(/^adacore: /);
      expect(lines[0]).toMatch(c.message);
      expect(r.stderr).not.toContain('    at ');
      expect(readdirSync(outDir)).toEqual([]);
    });
  }

  it('unknown command', () => {
    const r = cli('choose', '--input', 'x.npy');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^adacore: unknown command "choose".*\n$/);
  });

  it('--out in a missing folder fails before selecting', () => {
    const r = cli('select', '--input', 'x.npy', '--budget', '3', '--out', join('no-such-dir', 'c.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^adacore: --out: cannot write .*no-such-dir/);
  });
});

describe('progress bar', () => {
  it('draws phase and selected/budget on a TTY stream after the delay', () => {
    let text = '';
    const stream = {
      isTTY: true,
      columns: 120,
      write(chunk: string) { text += chunk; return true; },
    } as unknown as NodeJS.WritableStream;
    const bar = progressDisplay(stream, 0);
    bar.onProgress!({ phase: 'distances', done: 1, total: 4, selected: 0, budget: 10, classIndex: 0, classCount: 2 });
    bar.onProgress!({ phase: 'greedy', done: 3, total: 5, selected: 3, budget: 10, classIndex: 0, classCount: 2 });
    bar.stop();
    bar.stop();
    expect(text).toContain('distances');
    expect(text).toContain('selected 0/10');
    expect(text).toContain('class 1/2');
    expect(progressDisplay(undefined).onProgress).toBeUndefined();
  });
});
