// Mutations of valid reader inputs (seeds.mjs): byte-level (truncation at boundaries, flips,
// inserts, splices), header-aware for .npy and IDX (shapes that claim terabytes, dtypes, byte
// orders, versions, header lengths) and token-aware for CSV and LIBSVM (NaN/Inf and words
// where numbers belong, ragged rows, huge lines, BOMs, CRLF, bad indices, quotes, encodings).
import { gunzipSync, gzipSync } from 'node:zlib';

const utf8 = (s) => new TextEncoder().encode(s);
const text = (b) => new TextDecoder().decode(b);
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

const INTERESTING_BYTES = [0, 1, 0x7f, 0x80, 0xff, 0xfe, 10, 13, 44, 58, 59, 35, 34, 32, 9, 0x93, 0x1f, 0x8b];

// ---- byte level, any format ----
const BYTE_OPS = {
  truncateBoundary: (r, b, seed) => b.subarray(0, Math.min(b.length, Math.max(0, r.pick(seed.boundaries) + r.range(-1, 1)))),
  truncate: (r, b) => b.subarray(0, r.int(b.length + 1)),
  flipBit: (r, b) => { const c = b.slice(); if (c.length) c[r.int(c.length)] ^= 1 << r.int(8); return c; },
  setByte: (r, b) => { const c = b.slice(); if (c.length) c[r.int(c.length)] = r.pick(INTERESTING_BYTES); return c; },
  randomBytes: (r, b) => { const c = b.slice(); for (let k = r.range(1, 8); k > 0 && c.length; k--) c[r.int(c.length)] = r.int(256); return c; },
  insert: (r, b) => { const at = r.int(b.length + 1); return concat(b.subarray(0, at), Uint8Array.from({ length: r.range(1, 16) }, () => r.pick(INTERESTING_BYTES)), b.subarray(at)); },
  remove: (r, b) => { const at = r.int(b.length + 1); return concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + r.range(1, 32)))); },
  duplicate: (r, b) => { const at = r.int(b.length + 1); const end = Math.min(b.length, at + r.range(1, 64)); return concat(b.subarray(0, end), b.subarray(at, end), b.subarray(end)); },
  splice: (r, b, seed, pool) => { const other = r.pick(pool).bytes; return concat(b.subarray(0, r.int(b.length + 1)), other.subarray(r.int(other.length + 1))); },
  appendGarbage: (r, b) => concat(b, Uint8Array.from({ length: r.range(1, 100) }, () => r.int(256))),
  empty: () => new Uint8Array(0),
  twice: (r, b) => concat(b, b),
};

// ---- .npy header ----
export const NPY_SHAPES = [
  '(1099511627776, 1024)', '(1048576, 1048576)', '(99999999999999999999, 2)', '(4294967296, 4294967296)', '(9007199254740993, 1)',
  '(0, 3)', '(3, 0)', '(0,)', '(3,)', '()', '(2, 3, 4)', '(1, 1, 1, 1)', '(-1, 2)', '(2L, 3L)', '(3, 2,)', '(3,2)', '( 3 , 2 )',
  '(1e3, 2)', '(0x10, 2)', '(3.0, 2)', '(, )', '(3 2)', '[3, 2]', '(3, 2', '3, 2)', '(1000000, 1000)', '(65536, 65536)',
];
export const NPY_DESCRS = [
  '<f4', '>f4', '<f8', '>f8', '|u1', '|i1', '<i8', '>u8', '<f2', '>f2', '<f16', '<c8', '<c16', '|b1', '?', '<U3', '|S4', '|O', '|V8',
  '<M8[ns]', '<m8', 'f4', '=f8', '|f4', '<i3', '<u16', '<f0', '', 'x', "<f4', 'fortran_order': True, 'x': '", '[("a", "<f4")]',
];
const NPY_FORTRAN = ['True', 'False', '1', 'true', 'None', ''];

/** The header text and payload of a .npy file, or undefined if its prefix is not intact. */
function npyParts(b) {
  if (b.length < 12 || b[0] !== 0x93) return undefined;
  const version = b[6];
  const prefix = version === 1 ? 10 : 12;
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  const len = version === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (prefix + len > b.length) return undefined;
  return { version, header: text(b.subarray(prefix, prefix + len)), payload: b.subarray(prefix + len) };
}

/** A .npy file from header text and payload; `lengthDelta` makes the length field lie. */
function npyJoin(version, header, payload, lengthDelta = 0) {
  const h = utf8(header);
  const prefix = version === 1 ? 10 : 12;
  const head = new Uint8Array(prefix);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(head.buffer);
  const len = Math.max(0, h.length + lengthDelta);
  if (version === 1) view.setUint16(8, len & 0xffff, true);
  else view.setUint32(8, len >>> 0, true);
  return concat(head, h, payload);
}

const editHeader = (edit) => (r, b) => {
  const p = npyParts(b);
  if (!p) return BYTE_OPS.flipBit(r, b);
  return npyJoin(p.version, edit(r, p.header), p.payload, r.chance(0.1) ? r.range(-3, 3) : 0);
};

const NPY_OPS = {
  shape: editHeader((r, h) => h.replace(/\([^)]*\)/, r.pick(NPY_SHAPES))),
  descr: editHeader((r, h) => h.replace(/'descr':\s*'[^']*'/, `'descr': '${r.pick(NPY_DESCRS)}'`)),
  fortran: editHeader((r, h) => h.replace(/True|False/, r.pick(NPY_FORTRAN))),
  dropKey: editHeader((r, h) => h.replace(r.pick([/'descr':\s*'[^']*',?/, /'fortran_order':\s*\w+,?/, /'shape':\s*\([^)]*\),?/]), '')),
  extraKey: editHeader((r, h) => h.replace('{', r.pick(["{'x': 'shape': (9, 9)', ", "{'__proto__': {'a': 1}, ", "{'descr': '<f8', ", '{"shape": (2, 2), ']))),
  noBrace: editHeader((r, h) => h.replace('{', r.pick(['', '[', ' ', '\u0000']))),
  quotes: editHeader((r, h) => h.replace(/'/g, r.pick(['"', '`', '']))),
  version: (r, b) => { const c = b.slice(); if (c.length > 6) c[6] = r.pick([0, 1, 2, 3, 4, 255]); return c; },
  headerLength: (r, b) => {
    const c = b.slice();
    if (c.length < 12) return c;
    const view = new DataView(c.buffer);
    const v = r.pick([0, 1, 0xffff, 0xffffffff, 0x7fffffff, view.getUint16(8, true) + 1, view.getUint16(8, true) - 1]);
    if (c[6] === 1) view.setUint16(8, v & 0xffff, true);
    else view.setUint32(8, v >>> 0, true);
    return c;
  },
  payloadShort: (r, b) => { const p = npyParts(b); return p ? b.subarray(0, b.length - r.range(1, Math.max(1, p.payload.length))) : b; },
  payloadLong: (r, b) => concat(b, new Uint8Array(r.range(1, 9))),
  magic: (r, b) => { const c = b.slice(); if (c.length) c[r.int(Math.min(6, c.length))] ^= 0x20; return c; },
};

// ---- IDX header ----
export const IDX_DIMS = [0, 1, 2, 255, 65536, 0x7fffffff, 0x80000000, 0xffffffff, 1048576];
function idxHeaderOp(fn) {
  return (r, b, seed) => {
    if (seed.gz) {
      try {
        return new Uint8Array(gzipSync(fn(r, new Uint8Array(gunzipSync(b)))));
      } catch {
        return BYTE_OPS.flipBit(r, b);
      }
    }
    return fn(r, b);
  };
}
const IDX_OPS = {
  dim: idxHeaderOp((r, b) => {
    const c = b.slice();
    const ndims = c[3] ?? 0;
    if (c.length < 8 || ndims === 0) return c;
    const i = r.int(Math.min(ndims, (c.length - 4) >> 2));
    new DataView(c.buffer).setUint32(4 + 4 * i, r.chance(0.8) ? r.pick(IDX_DIMS) : r.int(2 ** 32), false);
    return c;
  }),
  type: idxHeaderOp((r, b) => { const c = b.slice(); if (c.length > 2) c[2] = r.chance(0.5) ? r.pick([0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]) : r.int(256); return c; }),
  ndims: idxHeaderOp((r, b) => { const c = b.slice(); if (c.length > 3) c[3] = r.pick([0, 1, 2, 3, 4, 255, r.int(256)]); return c; }),
  magic: idxHeaderOp((r, b) => { const c = b.slice(); if (c.length > 1) c[r.int(2)] = r.range(1, 255); return c; }),
  payloadShort: idxHeaderOp((r, b) => b.subarray(0, Math.max(0, b.length - r.range(1, 8)))),
  inner: idxHeaderOp((r, b, ...rest) => BYTE_OPS[r.pick(['flipBit', 'setByte', 'truncate', 'appendGarbage'])](r, b, ...rest)),
  gzipBomb: (r) => {
    // 8 MiB of zeros claimed by a valid header; compresses to a few KiB
    const n = 8 << 20;
    const raw = new Uint8Array(12 + n);
    raw.set([0, 0, 0x08, 2]);
    const view = new DataView(raw.buffer);
    view.setUint32(4, n / 1024, false);
    view.setUint32(8, 1024, false);
    const gz = new Uint8Array(gzipSync(raw));
    return r.chance(0.3) ? gz.subarray(0, r.int(gz.length)) : gz;
  },
  gzipGarbage: (r) => concat(Uint8Array.of(0x1f, 0x8b), Uint8Array.from({ length: r.range(0, 40) }, () => r.int(256))),
};

// ---- text (CSV and LIBSVM) ----
export const BAD_NUMBERS = [
  'nan', 'NaN', '-nan', 'inf', '-Infinity', '+inf', '1e999', '-1e999', '1e-999', '0x10', '1_000', '1,5', '1.2.3', '--1', '+-1', '.', 'e5',
  '1e', '1e+', '١', '５', 'abc', '', ' ', '"1"', '"', '""', "'1'", '9'.repeat(400), '0.' + '0'.repeat(400) + '1', '1\u00a0', '\u200b1',
  'null', 'true', 'undefined', '[1]', '{}', '1/2', '1d5', 'Infinity', '-0', '+0', '4294967296', '2147483648', '-2147483649', '1e10',
];
export const BAD_INDICES = ['-1', '0', '00', '01', '99999999999999999999', '4294967296', '2147483648', '1e3', '1.5', '', ' ', 'a', '+1', '0x1', '9007199254740993', '1000000000', '100000'];

const TEXT_OPS = {
  badNumber: (r, s) => {
    const spans = [...s.matchAll(/[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/g)];
    if (spans.length === 0) return s + r.pick(BAD_NUMBERS);
    const m = r.pick(spans);
    return s.slice(0, m.index) + r.pick(BAD_NUMBERS) + s.slice(m.index + m[0].length);
  },
  ragged: (r, s) => {
    const lines = s.split('\n');
    const i = r.int(lines.length);
    const sep = /;/.test(lines[i]) ? ';' : /\t/.test(lines[i]) ? '\t' : /,/.test(lines[i]) ? ',' : ' ';
    const fields = lines[i].split(sep);
    if (r.chance(0.5) && fields.length > 1) fields.splice(r.int(fields.length), 1);
    else fields.splice(r.int(fields.length + 1), 0, r.pick(['1', '2:3', '', '1,2']));
    lines[i] = fields.join(sep);
    return lines.join('\n');
  },
  dropLine: (r, s) => { const l = s.split('\n'); l.splice(r.int(l.length), 1); return l.join('\n'); },
  duplicateLine: (r, s) => { const l = s.split('\n'); const i = r.int(l.length); l.splice(i, 0, l[i]); return l.join('\n'); },
  blankLines: (r, s) => { const l = s.split('\n'); l.splice(r.int(l.length + 1), 0, ...Array(r.range(1, 5)).fill(r.pick(['', ' ', '\t', '\r']))); return l.join('\n'); },
  bom: (r, s) => (r.chance(0.6) ? '\ufeff' + s : s.slice(0, r.int(s.length + 1)) + '\ufeff' + s.slice(r.int(s.length + 1))),
  doubleBom: (r, s) => '\ufeff\ufeff' + s,
  crlf: (r, s) => s.replace(/\n/g, r.pick(['\r\n', '\r', '\n\r', '\r\r\n'])),
  noFinalNewline: (r, s) => s.replace(/[\r\n]+$/, ''),
  wideLine: (r, s) => `${Array.from({ length: r.pick([100, 5000, 50000]) }, (_, j) => j % 10).join(r.pick([',', ';', '\t', ' ']))}\n${s}`,
  longToken: (r, s) => { const at = r.int(s.length + 1); return s.slice(0, at) + r.pick(['1', 'a', ' ', ',']).repeat(r.pick([1000, 100000, 1000000])) + s.slice(at); },
  manyLines: (r, s) => s + r.pick(['1\n', '\n', '1 1:1\n', 'x\n', '1,2\n']).repeat(r.pick([1000, 50000])),
  quote: (r, s) => { const at = r.int(s.length + 1); return s.slice(0, at) + r.pick(['"', '""', '"a,b"', '"1', '1"', '"\n"']) + s.slice(at); },
  whitespace: (r, s) => s.replace(r.pick([/ /g, /,/g, /\n/g]), r.pick(['\t', '  ', '\u00a0', '\u3000', ' , ', ',,', '\n\n', '\v', '\f'])),
  comment: (r, s) => { const l = s.split('\n'); l.splice(r.int(l.length + 1), 0, r.pick(['# x', '#', '% comment', '// c', '1 # 2:3'])); return l.join('\n'); },
  nul: (r, s) => { const at = r.int(s.length + 1); return s.slice(0, at) + '\u0000' + s.slice(at); },
  header: (r, s) => r.pick(['a,b,c\n', 'x\n', '1,,3\n', ',a,b\n', 'label 1:feature\n', '"a","b"\n', 'nan,inf\n']) + s,
  // LIBSVM tokens
  badIndex: (r, s) => {
    const spans = [...s.matchAll(/(\d{1,12}):/g)];
    if (spans.length === 0) return `${s}1 ${r.pick(BAD_INDICES)}:1\n`;
    const m = r.pick(spans);
    return s.slice(0, m.index) + r.pick(BAD_INDICES) + s.slice(m.index + m[1].length);
  },
  hugeIndex: (r, s) => `${s}${r.pick(['1', '-1', '0'])} ${r.pick(['536870912', '1073741824', '2147483647', '4294967295', '100000000000', '1' + '0'.repeat(30)])}:1\n`,
  badPair: (r, s) => {
    // bounded digits: /\d+:/ is quadratic on a long run of digits (longToken's million 1s)
    const spans = [...s.matchAll(/\d{1,12}:\S+/g)];
    const bad = r.pick(['1:', ':1', '1::2', '1:2:3', '1 :2', '1: 2', 'qid:', 'qid:x', '2:1 1:1', '1:1 1:1', '1=2', '1:nan', '1:1e999', 'a:b']);
    if (spans.length === 0) return `${s}1 ${bad}\n`;
    const m = r.pick(spans);
    return s.slice(0, m.index) + bad + s.slice(m.index + m[0].length);
  },
  badLabel: (r, s) => s.replace(/^[^\s#]+/m, r.pick(BAD_NUMBERS.concat(['1:1', '#']))),
};

/** Text ops that act on bytes: encodings. */
const ENCODING_OPS = {
  invalidUtf8: (r, b) => { const at = r.int(b.length + 1); return concat(b.subarray(0, at), Uint8Array.from(r.pick([[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]])), b.subarray(at)); },
  utf16: (r, b) => { const s = text(b); const out = new Uint8Array(2 + 2 * s.length); out.set([0xff, 0xfe]); for (let i = 0; i < s.length; i++) { out[2 + 2 * i] = s.charCodeAt(i) & 0xff; out[3 + 2 * i] = s.charCodeAt(i) >> 8; } return out; },
};

const CSV_TEXT = ['badNumber', 'ragged', 'dropLine', 'duplicateLine', 'blankLines', 'bom', 'doubleBom', 'crlf', 'noFinalNewline', 'wideLine', 'longToken', 'manyLines', 'quote', 'whitespace', 'comment', 'nul', 'header'];
const LIBSVM_TEXT = ['badNumber', 'ragged', 'dropLine', 'duplicateLine', 'blankLines', 'bom', 'crlf', 'noFinalNewline', 'longToken', 'manyLines', 'whitespace', 'comment', 'nul', 'badIndex', 'hugeIndex', 'badPair', 'badLabel'];

/** The operations that apply to a seed's format, as [name, fn(r, bytes, seed, pool)]. */
function opsFor(format) {
  const bytes = Object.entries(BYTE_OPS);
  const textual = (names) => names.map((n) => [n, (r, b) => utf8(TEXT_OPS[n](r, text(b)))]);
  switch (format) {
    case 'npy': return { specific: Object.entries(NPY_OPS), bytes };
    case 'idx': return { specific: Object.entries(IDX_OPS), bytes };
    case 'csv': return { specific: [...textual(CSV_TEXT), ...Object.entries(ENCODING_OPS)], bytes };
    default: return { specific: [...textual(LIBSVM_TEXT), ...Object.entries(ENCODING_OPS)], bytes };
  }
}

/**
 * A mutant of `seed`: one to three operations, format-aware ones twice as likely as byte-level
 * ones. Returns the bytes and the names of the operations applied (for the report).
 */
export function mutate(r, seed, pool) {
  const { specific, bytes } = opsFor(seed.format);
  let b = seed.bytes;
  const ops = [];
  for (let k = r.pick([1, 1, 1, 2, 2, 3]); k > 0; k--) {
    const [name, op] = r.chance(0.67) ? r.pick(specific) : r.pick(bytes);
    b = op(r, b, seed, pool);
    ops.push(name);
  }
  return { bytes: b, ops };
}
