import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { idxFile } from '../../scripts/fuzz/seeds.mjs';
import { rejected, thrown } from './adacore-error.js';
import {
  formatFromPath, labelsToClasses, readCsvLabels, readCsvMatrix, readIdx, readIdxLabels, readIdxMatrix,
  readLibsvm, readMatrix, readNpyLabels, readNpyMatrix,
} from '../../src/io/index.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/io/${name}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Build a .npy file by hand: magic, version, header length, padded dict header, payload. */
function npy(descr: string, shape: number[], payload: ArrayBufferView, opts: { fortran?: boolean; version?: number } = {}): Uint8Array {
  const version = opts.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = utf8(dict.padEnd(total - prefix - 1) + '\n');
  const body = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  const out = new Uint8Array(prefix + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, prefix);
  out.set(body, prefix + header.length);
  return out;
}

/** Build an IDX file: 0 0 type ndims, big-endian dims, big-endian values. */
const idx = (type: number, shape: number[], values: number[]): Uint8Array => idxFile(type, shape, values).bytes;

const M32 = new Float32Array([0, 1, 2, 3, 4, 5]);

describe('readNpyMatrix', () => {
  it('round-trips a hand-built float32 v1 file', () => {
    const m = readNpyMatrix(npy('<f4', [3, 2], M32));
    expect(m.rows).toBe(3);
    expect(m.dim).toBe(2);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(Array.from(m.data)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps float64, reads v2 and v3 headers', () => {
    const f8 = new Float64Array([0.1, 0.2, 0.3, 0.4]);
    for (const version of [1, 2, 3]) {
      const m = readNpyMatrix(npy('<f8', [2, 2], f8, { version }));
      expect(m.data).toBeInstanceOf(Float64Array);
      expect(Array.from(m.data)).toEqual([0.1, 0.2, 0.3, 0.4]);
    }
  });

  it('converts integer dtypes to float32', () => {
    const cases: [string, ArrayBufferView][] = [
      ['|i1', new Int8Array([-1, 2, 3, 4])], ['|u1', new Uint8Array([255, 2, 3, 4])],
      ['<i2', new Int16Array([-300, 2, 3, 4])], ['<u2', new Uint16Array([60000, 2, 3, 4])],
      ['<i4', new Int32Array([-70000, 2, 3, 4])], ['<u4', new Uint32Array([4e9, 2, 3, 4])],
      ['<i8', new BigInt64Array([-5n, 2n, 3n, 4n])], ['<u8', new BigUint64Array([5n, 2n, 3n, 4n])],
    ];
    const first = [-1, 255, -300, 60000, -70000, 4e9, -5, 5];
    cases.forEach(([descr, payload], k) => {
      const m = readNpyMatrix(npy(descr, [2, 2], payload));
      expect(m.data).toBeInstanceOf(Float32Array);
      expect(Array.from(m.data)).toEqual([first[k], 2, 3, 4]);
    });
  });

  it('reads a payload at an unaligned byte offset', () => {
    const file = npy('<f4', [3, 2], M32);
    const shifted = new Uint8Array(file.length + 1).subarray(1);
    shifted.set(file);
    expect(Array.from(readNpyMatrix(shifted).data)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reads files written by NumPy: float32, Fortran order, big-endian, uint8', () => {
    const expected = [0, 1, 2, 3, 4, 5];
    for (const name of ['f4_3x2.npy', 'f8_fortran_3x2.npy', 'f8_bigendian_3x2.npy', 'u1_3x2.npy']) {
      const m = readNpyMatrix(fixture(name), { source: name });
      expect([m.rows, m.dim]).toEqual([3, 2]);
      expect(Array.from(m.data)).toEqual(expected);
    }
    expect(readNpyMatrix(fixture('f8_bigendian_3x2.npy')).data).toBeInstanceOf(Float64Array);
  });

  it('transposes a hand-built Fortran-order array', () => {
    // Column-major storage of [[0, 1, 2], [3, 4, 5]].
    const m = readNpyMatrix(npy('<f4', [2, 3], new Float32Array([0, 3, 1, 4, 2, 5]), { fortran: true }));
    expect(Array.from(m.data)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('names the source and sizes when truncated', () => {
    const file = npy('<f4', [1000, 784], new Float32Array(30));
    expect(thrown(() => readNpyMatrix(file, { source: 'data/x.npy' })).message).toBe(
      'data/x.npy: truncated: header says 1000 x 784 float32 (3136000 bytes) but only 120 bytes follow',
    );
  });

  it('rejects bad magic, unknown versions and malformed headers', () => {
    expect(thrown(() => readNpyMatrix(utf8('PK\x03\x04 this is a zip file'))).message).toMatch(/^input: not a \.npy file: bad magic/);
    expect(thrown(() => readNpyMatrix(new Uint8Array(4))).message).toMatch(/not a \.npy file: only 4 bytes/);
    const v9 = npy('<f4', [3, 2], M32);
    v9[6] = 9;
    expect(thrown(() => readNpyMatrix(v9)).message).toMatch(/unsupported \.npy format version 9\.0/);
    const broken = npy('<f4', [3, 2], M32);
    const at = new TextDecoder('latin1').decode(broken).indexOf("'shape'");
    broken.set(utf8("'shope'"), at); // misspell the key in place
    expect(thrown(() => readNpyMatrix(broken)).message).toMatch(/malformed \.npy header: no 'shape'/);
    const notDict = npy('<f4', [3, 2], M32);
    notDict[10] = 0x5b; // '[' instead of '{'
    expect(thrown(() => readNpyMatrix(notDict)).message).toMatch(/malformed \.npy header: "\[/);
    const cut = npy('<f4', [3, 2], M32).subarray(0, 30);
    expect(thrown(() => readNpyMatrix(cut)).message).toMatch(/truncated: the \.npy header is \d+ bytes but only 20 bytes follow/);
  });

  it('reads the header dict key by key: a key inside another value, twice, or missing is an error', () => {
    const withDict = (dict: string) => {
      const file = npy('<f4', [3, 2], M32);
      const length = new DataView(file.buffer).getUint16(8, true);
      const header = utf8(dict.padEnd(length - 1) + '\n');
      expect(header.length).toBe(length);
      file.set(header, 10);
      return file;
    };
    // double quotes, no trailing comma, other key order: the same matrix
    expect(Array.from(readNpyMatrix(withDict('{"shape": (3, 2), "fortran_order": False, "descr": "<f4"}')).data)).toEqual([0, 1, 2, 3, 4, 5]);
    // a key given twice (Python would keep the last; the old pattern search took the first)
    expect(thrown(() => readNpyMatrix(withDict("{'fortran_order': False, 'shape': (3, 2), 'descr': '<f4', 'descr': '<f8'}"))).message)
      .toMatch(/malformed \.npy header: the key 'descr' twice/);
    expect(thrown(() => readNpyMatrix(withDict("{'fortran_order': False, 'shape': (3, 2), }"))).message).toMatch(/malformed \.npy header: no 'descr'/);
    // "'descr': ..." inside a value is that value, not a key
    expect(thrown(() => readNpyMatrix(withDict("{'descr': \"'descr': '<f8'\", 'fortran_order': False, 'shape': (3, 2)}"))).message)
      .toMatch(/unsupported dtype ''descr': '<f8'' \(unknown\)/);
    expect(thrown(() => readNpyMatrix(withDict("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (3, 2)}"))).message)
      .toMatch(/malformed \.npy header: an unreadable value for 'fortran_order'/);
    expect(thrown(() => readNpyMatrix(withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2)} x"))).message)
      .toMatch(/malformed \.npy header: text after the closing }/);
    expect(thrown(() => readNpyMatrix(withDict("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,)}"))).message)
      .toMatch(/structured \(record\) arrays are not supported/);
  });

  it('rejects unsupported dtypes naming them', () => {
    expect(thrown(() => readNpyMatrix(fixture('complex_2x2.npy'))).message).toMatch(/unsupported dtype '<c8' \(complex\)/);
    expect(thrown(() => readNpyMatrix(fixture('unicode_2.npy'))).message).toMatch(/unsupported dtype '<U1' \(unicode string\)/);
    expect(thrown(() => readNpyMatrix(npy('|O', [2, 2], new Uint8Array(32)))).message).toMatch(/unsupported dtype '\|O' \(Python object\)/);
    expect(thrown(() => readNpyMatrix(npy('<f2', [2, 2], new Uint8Array(8)))).message).toMatch(/unsupported dtype '<f2' \(float16\)/);
  });

  it('requires a 2-D shape and names the shape it got', () => {
    expect(thrown(() => readNpyMatrix(fixture('f4_1d.npy'))).message).toMatch(/expected a 2-D array \(rows, dim\) but the shape is \(2,\)/);
    expect(thrown(() => readNpyMatrix(npy('<f4', [1, 2, 3], new Float32Array(6)))).message).toMatch(/shape is \(1, 2, 3\)/);
  });

  it('checks maxBytes against the header before allocating', () => {
    // 10^6 x 10^6 float32 = 4e12 bytes claimed by a 128-byte file.
    const huge = npy('<f4', [1_000_000, 1_000_000], new Uint8Array(0));
    expect(thrown(() => readNpyMatrix(huge, { source: 'huge.npy' })).message).toMatch(
      /^huge\.npy: header says 1000000 x 1000000 float32 \(4000000000000 bytes\), more than maxBytes \(2147483648\)/,
    );
    expect(thrown(() => readNpyMatrix(npy('<f4', [3, 2], M32), { maxBytes: 20 })).message).toMatch(/more than maxBytes \(20\)/);
  });
});

describe('readNpyLabels', () => {
  it('reads integer labels, including (n, 1) and whole-valued floats', () => {
    expect(Array.from(readNpyLabels(fixture('i8_labels.npy')))).toEqual([3, 0, 2, 1]);
    expect(Array.from(readNpyLabels(npy('|u1', [3, 1], new Uint8Array([7, 8, 9]))))).toEqual([7, 8, 9]);
    expect(Array.from(readNpyLabels(npy('<f8', [3], new Float64Array([1, 0, -1]))))).toEqual([1, 0, -1]);
    expect(Array.from(readNpyLabels(npy('>i4', [2], new Uint8Array([0, 0, 1, 0, 0, 0, 0, 5]))))).toEqual([256, 5]);
  });

  it('names the position of a non-integer label', () => {
    const file = npy('<f4', [4], new Float32Array([0, 1, 2.5, 3]));
    expect(thrown(() => readNpyLabels(file, { source: 'y.npy' })).message).toBe(
      'y.npy: label at position 2 is 2.5, not an integer label',
    );
  });

  it('rejects a 2-D label array and a truncated one', () => {
    expect(thrown(() => readNpyLabels(npy('<i4', [2, 3], new Int32Array(6)))).message).toMatch(/expected 1-D labels.*shape is \(2, 3\)/);
    expect(thrown(() => readNpyLabels(npy('<i8', [100], new BigInt64Array(2)))).message).toMatch(
      /truncated: header says 100 int64 \(800 bytes\) but only 16 bytes follow/,
    );
  });
});

describe('readCsvMatrix', () => {
  it('reads comma, semicolon and tab files with and without a header', () => {
    const expected = [1, 2, 3, 4.5, -6, 7e-3];
    for (const text of [
      '1,2,3\n4.5,-6,7e-3\n',
      'a,b,c\r\n1,2,3\r\n\r\n4.5, -6, 7e-3',
      'x;y;z\n1;2;3\n4.5;-6;7e-3',
      '1\t2\t3\n\n4.5\t-6\t7e-3\n\n',
      '"a","b, c","d"\n"1",2,3\n4.5,-6,7e-3',
    ]) {
      const m = readCsvMatrix(text);
      expect(m.data).toBeInstanceOf(Float64Array);
      expect([m.rows, m.dim]).toEqual([2, 3]);
      expect(Array.from(m.data)).toEqual(expected);
    }
    expect(Array.from(readCsvMatrix(utf8('\ufeffa,b\n1,2\n')).data)).toEqual([1, 2]);
  });

  it('keeps NaN and Infinity for the selection layer to report', () => {
    const m = readCsvMatrix('nan,inf\n-inf,NaN\n');
    expect(Array.from(m.data)).toEqual([NaN, Infinity, -Infinity, NaN]);
  });

  it('names the line and counts of a ragged row', () => {
    expect(thrown(() => readCsvMatrix('a,b,c\n1,2,3\n\n4,5\n', { source: 't.csv' })).message).toBe(
      't.csv: line 4 has 2 fields but line 1 (the header) has 3',
    );
    expect(thrown(() => readCsvMatrix('1,2\n3,4,5\n')).message).toBe('input: line 2 has 3 fields but line 1 has 2');
  });

  it('names the line and column of a non-numeric field', () => {
    expect(thrown(() => readCsvMatrix('a,b\n1,2\n3,x7\n')).message).toBe('input: line 3, column 2: "x7" is not a number');
    expect(thrown(() => readCsvMatrix('1,2\n3,\n')).message).toBe('input: line 2, column 2: empty field');
    expect(thrown(() => readCsvMatrix('1,2\n0x10,3\n')).message).toMatch(/line 2, column 1: "0x10" is not a number/);
  });

  it('reports no data rows for an empty or header-only file', () => {
    expect(thrown(() => readCsvMatrix('')).message).toMatch(/no data rows/);
    expect(thrown(() => readCsvMatrix('\n  \n')).message).toMatch(/no data rows/);
    expect(thrown(() => readCsvMatrix('a,b,c\n\n')).message).toMatch(/no data rows/);
  });

  it('checks maxBytes before allocating', () => {
    expect(thrown(() => readCsvMatrix('1,2\n3,4\n', { maxBytes: 31 })).message).toMatch(
      /2 rows x 2 columns of float64 \(32 bytes\), more than maxBytes \(31\)/,
    );
  });
});

describe('readCsvLabels', () => {
  it('reads one integer column with optional header', () => {
    expect(Array.from(readCsvLabels('label\n1\n2.0\n\n-3\n'))).toEqual([1, 2, -3]);
    expect(Array.from(readCsvLabels(utf8('0\r\n1\r\n')))).toEqual([0, 1]);
  });

  it('names the line of a non-integer label and rejects several columns', () => {
    expect(thrown(() => readCsvLabels('y\n1\n\n2.5\n', { source: 'y.csv' })).message).toBe('y.csv: line 4: label 2.5 is not an integer');
    expect(thrown(() => readCsvLabels('1,2\n3,4\n')).message).toMatch(/expected a single column of labels but line 1 has 2 fields/);
  });
});

describe('readIdx', () => {
  it('round-trips each element type, big-endian', async () => {
    const cases: [number, number[], string][] = [
      [0x08, [0, 255, 7, 1], 'Uint8Array'], [0x09, [-128, 127, 0, 1], 'Int8Array'],
      [0x0b, [-300, 300, 0, 1], 'Int16Array'], [0x0c, [-70000, 70000, 0, 1], 'Int32Array'],
      [0x0d, [-1.5, 0.25, 0, 1], 'Float32Array'], [0x0e, [0.1, -0.2, 0, 1], 'Float64Array'],
    ];
    for (const [type, values, ctor] of cases) {
      const { data, shape } = await readIdx(idx(type, [2, 2], values));
      expect(shape).toEqual([2, 2]);
      expect(data.constructor.name).toBe(ctor);
      expect(Array.from(data)).toEqual(values);
    }
  });

  it('gunzips, flattens images and scales', async () => {
    const pixels = Array.from({ length: 2 * 3 * 2 }, (_, i) => i * 10);
    const file = gzipSync(idx(0x08, [2, 3, 2], pixels));
    const m = await readIdxMatrix(file, { scale: 1 / 10 });
    expect([m.rows, m.dim]).toEqual([2, 6]);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(Array.from(m.data)).toEqual(pixels.map((p) => Math.fround(Math.fround(p) * Math.fround(1 / 10))));
    expect(Array.from(await readIdxLabels(gzipSync(idx(0x08, [3], [9, 0, 4]))))).toEqual([9, 0, 4]);
  });

  it('gives an AdacoreError for truncated gzip', async () => {
    const full = gzipSync(idx(0x08, [100, 10], new Array(1000).fill(3)));
    for (const cut of [full.length - 4, 20, 11]) {
      const e = await rejected(readIdx(full.subarray(0, cut), { source: 'x.gz' }));
      expect(e.message).toMatch(/^x\.gz: gzip data is truncated or corrupt/);
    }
  });

  it('rejects bad magic, unknown types, truncation and wrong shapes', async () => {
    expect((await rejected(readIdx(utf8('GIF89a...')))).message).toMatch(/not an IDX file: bad magic 0x47 0x49/);
    const badType = idx(0x08, [2], [1, 2]);
    badType[2] = 0x0a;
    expect((await rejected(readIdx(badType))).message).toMatch(/unsupported IDX type code 0x0a; known: 0x08 ubyte/);
    expect((await rejected(readIdx(idx(0x08, [3, 4], [1, 2]), { source: 'i' }))).message).toBe(
      'i: truncated: header says 3 x 4 ubyte (12 bytes) but only 2 bytes follow',
    );
    expect((await rejected(readIdx(new Uint8Array([0, 0, 8, 3, 0, 0])))).message).toMatch(/truncated: IDX header has 3 dimensions/);
    expect((await rejected(readIdxMatrix(idx(0x08, [3], [1, 2, 3])))).message).toMatch(/expected 2-D or higher IDX data/);
    expect((await rejected(readIdxLabels(idx(0x08, [1, 3], [1, 2, 3])))).message).toMatch(/expected 1-D IDX labels but the shape is 1 x 3/);
    expect((await rejected(readIdxLabels(idx(0x0d, [2], [1, 0.5])))).message).toMatch(/label at position 1 is 0.5/);
  });

  it('checks maxBytes against the header before allocating', async () => {
    // 10^6 x 10^6 ubyte = 10^12 bytes claimed by a 12-byte file.
    const huge = idx(0x08, [1_000_000, 1_000_000], []);
    expect((await rejected(readIdx(huge))).message).toMatch(/header says 1000000 x 1000000 ubyte \(1000000000000 bytes\), more than maxBytes/);
    expect((await rejected(readIdxMatrix(gzipSync(huge)))).message).toMatch(/header says 1000000 x 1000000 float32 \(4000000000000 bytes\)/);
    // A gzip bomb stops once the decompressed size passes the budget.
    const bomb = gzipSync(new Uint8Array(5_000_000));
    expect((await rejected(readIdx(bomb, { maxBytes: 100_000 }))).message).toMatch(/decompressed data exceeds maxBytes \(100000 bytes\)/);
  });

  it('reads Fashion-MNIST t10k from /usr/share/datasets', async () => {
    const dir = '/usr/share/datasets/fashion-mnist';
    const images = await readIdxMatrix(new Uint8Array(readFileSync(`${dir}/t10k-images-idx3-ubyte.gz`)), { scale: 1 / 255 });
    expect([images.rows, images.dim]).toEqual([10000, 784]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of images.data) [min, max] = [Math.min(min, v), Math.max(max, v)];
    expect(min).toBe(0);
    expect(max).toBeCloseTo(1, 6);
    const labels = await readIdxLabels(new Uint8Array(readFileSync(`${dir}/t10k-labels-idx1-ubyte.gz`)));
    expect(labels.length).toBe(10000);
    const counts = new Array(10).fill(0);
    for (const y of labels) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(1000));
  });
});

describe('readLibsvm', () => {
  it('reads sparse rows into a dense float32 matrix', () => {
    const text = '# a comment line\n+1 1:0.5 3:2 # trailing comment\n-1 qid:7 2:-1\n\n1\n';
    const { matrix, labels } = readLibsvm(text);
    expect(matrix.data).toBeInstanceOf(Float32Array);
    expect([matrix.rows, matrix.dim]).toEqual([3, 3]);
    expect(Array.from(matrix.data)).toEqual([0.5, 0, 2, 0, -1, 0, 0, 0, 0]);
    expect(Array.from(labels)).toEqual([1, -1, 1]);
  });

  it('honours dim and zeroBased', () => {
    expect(readLibsvm(utf8('1 1:1\n'), { dim: 4 }).matrix.dim).toBe(4);
    const z = readLibsvm('2 0:1 2:3\n', { zeroBased: true });
    expect([z.matrix.dim, ...z.matrix.data]).toEqual([3, 1, 0, 3]);
    expect(thrown(() => readLibsvm('1 1:1\n1 5:1\n', { dim: 4, source: 'a.svm' })).message).toBe('a.svm: line 2: index 5 is beyond dim 4');
    expect(thrown(() => readLibsvm('1 0:1\n')).message).toMatch(/line 1: index 0 in "0:1" but indices are 1-based/);
  });

  it('names the line and token of bad input', () => {
    expect(thrown(() => readLibsvm('1 1:1\n1 3:1 2:1\n')).message).toBe('input: line 2: index 2 after 3; indices must be increasing');
    expect(thrown(() => readLibsvm('1 1:1 1:2\n')).message).toMatch(/line 1: index 1 after 1/);
    expect(thrown(() => readLibsvm('1 1:1\n1 2:abc\n')).message).toBe('input: line 2: bad token "2:abc", expected index:value');
    expect(thrown(() => readLibsvm('1 x:1\n')).message).toMatch(/line 1: bad token "x:1"/);
    expect(thrown(() => readLibsvm('1 7\n')).message).toMatch(/line 1: bad token "7"/);
    expect(thrown(() => readLibsvm('yes 1:1\n')).message).toBe('input: line 1: bad label "yes"');
    expect(thrown(() => readLibsvm('# only comments\n\n')).message).toMatch(/no data rows/);
  });

  it('checks rows x dim x 4 against maxBytes before allocating', () => {
    expect(thrown(() => readLibsvm('1 1000000000:1\n', { source: 'big.svm' })).message).toMatch(
      /^big\.svm: 1 rows x 1000000000 features of dense float32 and 1 float64 labels \(4000000008 bytes\), more than maxBytes/,
    );
  });
});

describe('labelsToClasses', () => {
  it('maps distinct integer labels to 0..C-1 in sorted order', () => {
    expect(Array.from(labelsToClasses(new Float64Array([1, -1, -1, 1]), 'y'))).toEqual([1, 0, 0, 1]);
    expect(Array.from(labelsToClasses(new Float64Array([7, 3, 5, 3]), 'y'))).toEqual([2, 0, 1, 0]);
  });

  it('names the row of a non-integer label', () => {
    expect(thrown(() => labelsToClasses(new Float64Array([1, 2, 0.5]), 'r.svm')).message).toBe(
      'r.svm: label at row 2 is 0.5, not an integer class',
    );
  });
});

describe('readMatrix and formatFromPath', () => {
  it('dispatches on the format', async () => {
    expect((await readMatrix(npy('<f4', [3, 2], M32), 'npy')).matrix.rows).toBe(3);
    expect((await readMatrix(utf8('1,2\n3,4\n'), 'csv')).matrix.dim).toBe(2);
    expect((await readMatrix(gzipSync(idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])), 'idx')).matrix.dim).toBe(4);
    const svm = await readMatrix(utf8('+1 1:1\n-1 2:1\n'), 'libsvm');
    expect(Array.from(svm.labels!)).toEqual([1, 0]);
  });

  it('picks the format from the file name', () => {
    expect(formatFromPath('data/x.npy')).toBe('npy');
    expect(formatFromPath('a.CSV')).toBe('csv');
    expect(formatFromPath('a.tsv')).toBe('csv');
    expect(formatFromPath('a.txt')).toBe('csv');
    expect(formatFromPath('/d/t10k-images-idx3-ubyte.gz')).toBe('idx');
    expect(formatFromPath('C:\\d\\train-labels-idx1-ubyte')).toBe('idx');
    expect(formatFromPath('x.idx')).toBe('idx');
    expect(formatFromPath('a9a.svm')).toBe('libsvm');
    expect(formatFromPath('a.libsvm')).toBe('libsvm');
    expect(formatFromPath('a.svmlight')).toBe('libsvm');
    expect(thrown(() => formatFromPath('data/x.parquet')).message).toMatch(
      /^data\/x\.parquet: unknown data file type '\.parquet'; supported: \.npy, \.csv/,
    );
  });
});

describe('encodeNpy / encodeCsv', () => {
  it('round-trip through the readers: float32 and float64 matrices, int32 labels; the data starts on a 64-byte boundary', async () => {
    const { encodeNpy, encodeCsv, readNpyMatrix, readNpyLabels, readCsvMatrix } = await import('../../src/index.js');
    const f64 = Float64Array.from([0.1, -2.5e-300, 3, 1e300, Math.PI, -0]);
    const back = readNpyMatrix(encodeNpy(f64, [3, 2]));
    expect(back.data).toBeInstanceOf(Float64Array);
    expect([back.rows, back.dim]).toEqual([3, 2]);
    expect(Array.from(back.data)).toEqual(Array.from(f64));
    const f32 = Float32Array.from([1.5, 2.25, -3]);
    expect(Array.from(readNpyMatrix(encodeNpy(f32, [1, 3])).data)).toEqual([1.5, 2.25, -3]);
    const labels = Int32Array.from([4, -1, 2 ** 31 - 1]);
    const bytes = encodeNpy(labels, [3]);
    expect((bytes.length - 12) % 64).toBe(0);
    expect(Array.from(readNpyLabels(bytes))).toEqual(Array.from(labels));
    expect(Array.from(readCsvMatrix(encodeCsv(f64, 2)).data)).toEqual(Array.from(f64));
    expect(() => encodeNpy(f32, [2, 2])).toThrow(/shape: 2 x 2 is 4 values but the data has 3/);
  });
});
