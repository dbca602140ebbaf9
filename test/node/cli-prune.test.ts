// `adacore prune` (the built CLI, run as a child process; needs `npm run build`): the kept rows
// equal the input rows at the returned indices in every format, labels and weights go with
// them, an existing file needs --force, and on any error nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeCsv, encodeNpy, readCsvMatrix, readNpyLabels, readNpyMatrix, selectCoreset } from '../../src/index.js';

const BIN = join(fileURLToPath(new URL('../../', import.meta.url)), 'bin', 'adacore.mjs');
let dir: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ADACORE_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const n = 1200, d = 6;
const x = new Float32Array(n * d);
const y = Int32Array.from({ length: n }, (_, i) => i % 3);
let state = 7;
for (let k = 0; k < x.length; k++) { state = (state * 1103515245 + 12345) % 2147483648; x[k] = state / 2147483648 + (Math.floor(k / d) % 7); }

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'adacore-prune-'));
  writeFileSync(join(dir, 'x.npy'), encodeNpy(x, [n, d]));
  writeFileSync(join(dir, 'y.npy'), encodeNpy(y, [n]));
  writeFileSync(join(dir, 'x.csv'), `a,b,c,d,e,f\n${encodeCsv(Float64Array.from(x), d)}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string) => readFileSync(join(dir, name));
const files = () => readdirSync(dir).sort();

describe('adacore prune', () => {
  it('npy in, npy out: the kept rows are the input rows at the indices, with their labels and weights; the set is selectCoreset\'s', async () => {
    const r = cli('prune', '--input', 'x.npy', '--labels', 'y.npy', '--fraction', '0.05', '--out', 'kept.npy', '--labels-out', 'kept-y.npy', '--weights-out', 'w.npy', '--indices-out', 'i.npy');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^kept 60 of 1200 rows in 3 classes \(5\.00 %\), cost [\d.]+, [\d.]+ s, optimizer lazy, path dense, peak memory \d+ MiB \(planned \d+ MiB\); wrote kept\.npy, kept-y\.npy, w\.npy, i\.npy\n$/);
    const kept = readNpyMatrix(read('kept.npy'));
    const indices = readNpyLabels(read('i.npy'));
    const labels = readNpyLabels(read('kept-y.npy'));
    const weights = readNpyLabels(read('w.npy')); // float32 cluster sizes: whole numbers
    expect(read('w.npy').includes(Buffer.from("'descr': '<f4'"))).toBe(true);
    expect(kept.rows).toBe(60);
    expect(kept.dim).toBe(d);
    expect(Array.from(indices)).toEqual([...indices].sort((a, b) => a - b));
    indices.forEach((row, t) => {
      expect(Array.from(kept.data.subarray(t * d, (t + 1) * d))).toEqual(Array.from(x.subarray(row * d, (row + 1) * d)));
      expect(labels[t]).toBe(y[row]);
    });
    const expected = await selectCoreset(x, { dim: d, labels: y, fraction: 0.05 });
    expect(Array.from(indices)).toEqual(Array.from(expected.indices).sort((a, b) => a - b));
    expect(weights.reduce((a, b) => a + b, 0)).toBe(n);
  });

  it('csv in, csv out: the kept lines hold the input rows at the indices', () => {
    const r = cli('prune', '--input', 'x.csv', '--budget', '40', '--out', 'kept.csv', '--indices-out', 'i.csv', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const kept = readCsvMatrix(read('kept.csv'));
    const indices = readCsvMatrix(read('i.csv')).data;
    expect(kept.rows).toBe(40);
    indices.forEach((row, t) => {
      expect(Array.from(kept.data.subarray(t * d, (t + 1) * d))).toEqual(Array.from(Float64Array.from(x.subarray(row * d, (row + 1) * d))));
    });
  });

  it('an existing output needs --force (refused before any work); with it the file is replaced', () => {
    writeFileSync(join(dir, 'old.npy'), 'old');
    const refused = cli('prune', '--input', 'x.npy', '--budget', '10', '--out', 'old.npy');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('adacore: --out: old.npy exists; pass --force to replace it\n');
    expect(read('old.npy').toString()).toBe('old');
    const forced = cli('prune', '--input', 'x.npy', '--budget', '10', '--out', 'old.npy', '--force', '-q');
    expect(forced.status, forced.stderr).toBe(0);
    expect(readNpyMatrix(read('old.npy')).rows).toBe(10);
  });

  it('errors leave nothing behind and name the problem', () => {
    const before = files();
    const cases: [string[], number, RegExp][] = [
      [['--input', 'x.npy', '--budget', '5000', '--out', 'a.npy', '--weights-out', 'aw.npy'], 1, /--budget: 5000 is more than the 1200 rows/],
      [['--input', 'x.npy', '--budget', '10', '--out', 'a.npy', '--max-memory', '100k'], 1, /--max-memory: the selection needs about [\d.]+ MiB .* but --max-memory is 0\.1 MiB/],
      [['--input', 'x.npy', '--budget', '10'], 2, /--out FILE is required/],
      [['--input', 'x.npy', '--budget', '10', '--out', 'a.npy', '--labels-out', 'b.npy'], 2, /--labels-out needs labels/],
      [['--input', 'x.npy', '--budget', '10', '--out', 'x.npy'], 2, /--out x\.npy is also --input/],
      [['--input', 'x.npy', '--budget', '10', '--out', 'a.npy', '--indices-out', 'a.npy'], 2, /--indices-out and --out name the same file/],
      [['--input', 'x.npy', '--budget', '10', '--out', 'a.bin'], 1, /--out: cannot tell the format of a\.bin/],
      [['--input', 'x.npy', '--budget', '10', '--out', 'missing/a.npy'], 1, /--out: cannot write missing\/a\.npy: the folder missing does not exist/],
      [['--input', 'x.npy', '--budget', '10', '--out', 'a.npy', '--method', 'craig'], 2, /--method/],
    ];
    for (const [args, status, message] of cases) {
      const r = cli('prune', ...args);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(files(), args.join(' ')).toEqual(before);
    }
  });

  it('a .npy larger than half of --max-memory is pruned out of core (path stream): kept rows equal the input rows, weights sum to n', () => {
    // 20,000 x 6 float32 rows are 480 kB: 800 kB of --max-memory cannot hold them twice
    const big = new Float32Array(20000 * d);
    for (let k = 0; k < big.length; k++) big[k] = x[k % x.length] + Math.floor(k / x.length) * 0.01;
    writeFileSync(join(dir, 'big.npy'), encodeNpy(big, [20000, d]));
    writeFileSync(join(dir, 'big-y.npy'), encodeNpy(Int32Array.from({ length: 20000 }, (_, i) => i % 3), [20000]));
    const streamed = cli('prune', '--input', 'big.npy', '--labels', 'big-y.npy', '--budget', '30', '--out', 't.npy', '--weights-out', 'tw.npy', '--indices-out', 'ti.npy', '--max-memory', '800k');
    expect(streamed.status, streamed.stderr).toBe(0);
    expect(streamed.stderr).toMatch(/kept 30 of 20000 rows in 3 classes .* path stream, /);
    const kept = readNpyMatrix(read('t.npy'));
    const indices = readNpyLabels(read('ti.npy'));
    expect(kept.rows).toBe(30);
    indices.forEach((row, t) => expect(Array.from(kept.data.subarray(t * d, (t + 1) * d))).toEqual(Array.from(big.subarray(row * d, (row + 1) * d))));
    expect(readNpyLabels(read('tw.npy')).reduce((a, b) => a + b, 0)).toBe(20000);
  });

  it('--help prints the usage', () => {
    const r = cli('prune', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: adacore prune --input FILE/);
    expect(r.stdout).toMatch(/--max-memory N/);
  });
});
