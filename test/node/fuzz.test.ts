// A short, seeded run of the fuzzers (scripts/fuzz/*.mjs; the long run is `npm run fuzz`, see
// docs/reliability.md): mutants of valid .npy, CSV, IDX and LIBSVM files through every reader
// (src/), and mutated command lines through the built CLI (bin/adacore.mjs, needs
// `npm run build`). Then one regression test per finding fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lib from '../../src/index.js';
import { AdacoreError, readCsvLabels, readCsvMatrix, readIdxMatrix, readLibsvm, readNpyMatrix } from '../../src/index.js';
import { parseDecimal } from '../../src/cli/numbers.js';
import { fuzzReaders, seedPool } from '../../scripts/fuzz/readers.mjs';
import { fuzzCli, prepareWorkspace } from '../../scripts/fuzz/cli.mjs';
import { idxFile, npyFile } from '../../scripts/fuzz/seeds.mjs';
import { thrown } from './adacore-error.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'adacore.mjs');
const SEED = 2026;
const PER_READER = 150;
const CLI_CASES = 40;

interface Finding { target?: string; case?: number; iteration?: number; problem: string; ops?: string[]; args?: string[] }
const show = (f: Finding) => `${f.target ?? 'cli'} #${f.iteration ?? f.case} (${(f.ops ?? f.args ?? []).join(' ')}): ${f.problem}`;

describe('fuzzing, seeded', () => {
  it(`${PER_READER} inputs per reader (10 readers): each gives a valid result or an AdacoreError, within bounds`, async () => {
    const { counts, findings } = await fuzzReaders({ lib, seed: SEED, iterations: PER_READER, root: ROOT, boundMs: 2000 });
    expect(findings.map(show)).toEqual([]);
    for (const [name, c] of Object.entries(counts as Record<string, { tried: number; accepted: number; rejected: number }>)) {
      expect(c.tried, name).toBe(PER_READER);
      // the mutants reach both sides of every reader
      expect(c.accepted, name).toBeGreaterThan(0);
      expect(c.rejected, name).toBeGreaterThan(0);
    }
  });

  describe('the CLI', () => {
    let dir: string;
    beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'adacore-fuzz-')); });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it(`${CLI_CASES} mutated command lines: failures are one line, exit 1 or 2, and leave no file; successes write valid output`, () => {
      const { counts, findings } = fuzzCli({ count: CLI_CASES, seed: SEED, dir, bin: BIN, lib, pool: seedPool(SEED, ROOT) });
      expect(findings.map(show)).toEqual([]);
      expect(counts.succeeded).toBeGreaterThan(0);
      expect(counts.failedCleanly).toBeGreaterThan(0);
    });
  });
});

describe('findings fixed (regressions)', () => {
  it('a long run of digits that is not a number is refused in linear time (the number pattern backtracked: 17 s for 100,000 digits)', () => {
    const digits = '1'.repeat(100_000);
    const start = performance.now();
    expect(thrown(() => readCsvMatrix(`${digits}x\n`, { source: 'd.csv' })).message).toMatch(/^d\.csv: no data rows/);
    expect(thrown(() => readCsvMatrix(`a\n${digits}x\n`, { source: 'd.csv' })).message).toMatch(/^d\.csv: line 2, column 1: "1{37}\.\.\." is not a number$/);
    expect(thrown(() => readLibsvm(`${digits}x 1:1\n`, { source: 'd.svm' })).message).toMatch(/^d\.svm: line 1: bad label/);
    expect(() => parseDecimal('--budget', `${digits}x`, 'a number')).toThrow(/--budget: expected a number/);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('header bytes copied into a .npy error are escaped: the message stays one line', () => {
    const file = Buffer.from(npyFile({ descr: '<f4', shape: [3, 2], values: [0, 0, 0, 0, 0, 0] }).bytes).toString('latin1');
    // the header length field is not updated: the two extra bytes come out of its padding
    // ESC [2J clears a terminal: it must not reach one raw
    const bytes = new Uint8Array(Buffer.from(file.replace('(3, 2)', '(3\u001b[2J, 2)'), 'latin1'));
    const message = thrown(() => readNpyMatrix(bytes, { source: 'h.npy' })).message;
    expect(message).toBe('h.npy: malformed .npy header: bad shape (3\\u001b[2J, 2)');
    const descr = new Uint8Array(Buffer.from(file.replace("'<f4'", "'<f\n4'"), 'latin1'));
    expect(thrown(() => readNpyMatrix(descr)).message).toMatch(/^input: unsupported dtype '<f\\n4' \(unknown\)/);
  });

  it('an IDX header of 255 dimensions gives a short message, not one listing them all', async () => {
    const bytes = new Uint8Array(4 + 4 * 255).fill(0xff);
    bytes.set([0, 0, 0x08, 255]);
    let error: unknown;
    await readIdxMatrix(bytes, { source: 'wide-idx3-ubyte' }).catch((e) => { error = e; });
    expect(error).toBeInstanceOf(AdacoreError);
    expect((error as Error).message).toBe('wide-idx3-ubyte: shape 4294967295 x 4294967295 x 4294967295 x 4294967295 x ... x 4294967295 x 4294967295 (255 dimensions) is too large');
  });

  it('CSV: a wide first line followed by short lines is reported as the ragged line it is, before rows x dim is allocated', () => {
    const text = `${'0,'.repeat(49_999)}0\n${'1\n'.repeat(1000)}`;
    // rows x dim x 8 = 400 MB: the reader used to allocate it (or, under maxBytes, blame the budget)
    expect(thrown(() => readCsvMatrix(text, { source: 'w.csv', maxBytes: 1_000_000 })).message).toBe('w.csv: line 2 has 1 fields but line 1 has 50000');
    expect(thrown(() => readCsvMatrix(text, { source: 'w.csv' })).message).toBe('w.csv: line 2 has 1 fields but line 1 has 50000');
  });

  it('CSV: a first row with a missing value is data (an error naming the field), not a header dropped silently', () => {
    expect(thrown(() => readCsvMatrix('1,,3\n4,5,6\n', { source: 'm.csv' })).message).toBe('m.csv: line 1, column 2: empty field');
    expect(thrown(() => readCsvLabels('2,\n1\n', { source: 'l.csv' })).message).toBe('l.csv: line 1, column 2: empty field');
    // a header with an empty name (pandas' index column) is still a header
    expect(readCsvMatrix(',a,b\n0,1,2\n1,3,4\n')).toMatchObject({ rows: 2, dim: 3 });
  });

  it('readIdxMatrix refuses a scale that is not a finite number (NaN and Infinity gave NaN or Infinity for every value)', async () => {
    const bytes = idxFile(0x08, [2, 2], [0, 1, 2, 3]).bytes;
    for (const scale of [NaN, Infinity, -Infinity, '2' as unknown as number]) {
      let error: unknown;
      await readIdxMatrix(bytes, { scale }).catch((e) => { error = e; });
      expect(error, String(scale)).toBeInstanceOf(AdacoreError);
      expect((error as AdacoreError).argument).toBe('scale');
    }
    expect(Array.from((await readIdxMatrix(bytes, { scale: 0.5 })).data)).toEqual([0, 0.5, 1, 1.5]);
  });

  it('LIBSVM with maxBytes Infinity: a dense matrix the runtime cannot allocate is an AdacoreError, not a RangeError', () => {
    const e = thrown(() => readLibsvm('1 99999999999:1\n', { source: 'i.svm', maxBytes: Infinity }));
    expect(e.message).toMatch(/^i\.svm: cannot allocate 399999999996 bytes for 1 rows x 99999999999 features \(Invalid typed array length/);
  });

  it('LIBSVM labels count against maxBytes (1,002 label-only rows under a 4 KB budget allocated 8 KB of labels)', () => {
    const text = '1\n'.repeat(1002);
    expect(thrown(() => readLibsvm(text, { source: 'l.svm', maxBytes: 4096 })).message)
      .toMatch(/^l\.svm: 1002 rows x 0 features of dense float32 and 1002 float64 labels \(8016 bytes\), more than maxBytes \(4096\)/);
    expect(readLibsvm(text, { source: 'l.svm', maxBytes: 8016 }).labels).toHaveLength(1002);
  });

  it('text larger than a JavaScript string can hold is an AdacoreError naming the file (TextDecoder threw ERR_STRING_TOO_LONG)', () => {
    const huge = new Uint8Array(2 ** 29); // zero pages: nothing is touched before the refusal
    expect(thrown(() => readCsvMatrix(huge, { source: 'big.csv' })).message).toMatch(/^big\.csv: cannot hold 536870912 bytes as one text \(.+\); split the file or convert it to \.npy$/);
    expect(thrown(() => readLibsvm(huge, { source: 'big.svm' })).argument).toBe('big.svm');
  });

  it('the CLI shortens a long value echoed in its error line (a 20,000-character --redis value was printed whole)', () => {
    const value = `redis:${'x'.repeat(20_000)} y`;
    const r = spawnSync(process.execPath, [BIN, 'worker', '--redis', value], { encoding: 'utf8', env: { ...process.env, ADACORE_DEBUG: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^adacore: --redis: expected a URL such as redis:\/\/127\.0\.0\.1:6379, got "redis:x{53}\.\.\.\(20007 characters\)\.\.\.x{20} y"\n$/);
    const start = performance.now();
    const budget = spawnSync(process.execPath, [BIN, 'select', '--input', 'x.npy', '--budget', `${'1'.repeat(100_000)}x`], { encoding: 'utf8' });
    expect(budget.status).toBe(2);
    expect(budget.stderr.length).toBeLessThan(300);
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('select and train refuse an output that names one of their inputs (select --out x.npy replaced the data with the JSON)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adacore-overwrite-'));
    try {
      prepareWorkspace(dir);
      const before = readFileSync(join(dir, 'x.npy'));
      const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ADACORE_DEBUG: '' } });
      const select = run('select', '--input', 'x.npy', '--budget', '2', '--out', './x.npy');
      expect(select.status).toBe(2);
      expect(select.stderr).toBe('adacore: --out ./x.npy is also --input: the output would replace it\n');
      expect(run('select', '--method', 'adacore', '--logits', 'z.npy', '--labels', 'y.npy', '--budget', '2', '-o', 'y.npy').stderr).toBe('adacore: --out y.npy is also --labels: the output would replace it\n');
      expect(run('train', '--input', 'x.npy', '--labels', 'y.npy', '--chart', 'y.npy').stderr).toBe('adacore: --chart y.npy is also --labels: the output would replace it\n');
      expect(run('train', '--input', 'x.npy', '--labels', 'y.npy', '--out', 'r.json', '--chart', 'r.json').stderr).toBe('adacore: --chart r.json is also --out: the output would replace it\n');
      expect(readFileSync(join(dir, 'x.npy')).equals(before)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
