// Valid inputs for the reader fuzzer, built programmatically (and the .npy files of
// test/fixtures/io when they are there): the mutators in mutate.mjs start from these.
// Each seed is { format, name, bytes, boundaries }: boundaries are byte offsets where a
// truncation is most telling (end of the magic, of the header, of each element or line).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const utf8 = (s) => new TextEncoder().encode(s);

/** The supported .npy element types, with a writer for each. */
export const NPY_TYPES = ['<f4', '>f4', '<f8', '>f8', '|u1', '|i1', '<i2', '>u2', '<i4', '>i4', '<u4', '<i8', '>u8', '=f4', 'f8'];

function typeOf(descr) {
  const m = /^([<>|=]?)([fiu])(\d+)$/.exec(descr);
  return { kind: m[2], size: Number(m[3]), bigEndian: m[1] === '>' };
}

function writeValue(view, at, t, v) {
  const le = !t.bigEndian;
  if (t.kind === 'f') return t.size === 4 ? view.setFloat32(at, v, le) : view.setFloat64(at, v, le);
  const whole = Math.round(v);
  if (t.size === 8) return t.kind === 'i' ? view.setBigInt64(at, BigInt(whole), le) : view.setBigUint64(at, BigInt(Math.abs(whole)), le);
  const setter = { i1: 'setInt8', u1: 'setUint8', i2: 'setInt16', u2: 'setUint16', i4: 'setInt32', u4: 'setUint32' }[`${t.kind}${t.size}`];
  return view[setter](at, t.kind === 'u' ? Math.abs(whole) : whole, le);
}

/** A .npy file: magic, version, header length, the dict padded to 64 bytes, then the values. */
export function npyFile({ descr, shape, fortran = false, version = 1, values }) {
  const t = typeOf(descr);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = utf8(dict.padEnd(total - prefix - 1) + '\n');
  const out = new Uint8Array(prefix + header.length + values.length * t.size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, prefix);
  const dataOffset = prefix + header.length;
  values.forEach((v, i) => writeValue(view, dataOffset + i * t.size, t, v));
  const boundaries = [0, 1, 6, 7, 8, 9, prefix, prefix + 1, dataOffset - 1, dataOffset, out.length - 1, out.length];
  for (let i = 1; i < values.length; i++) boundaries.push(dataOffset + i * t.size, dataOffset + i * t.size - 1);
  return { bytes: out, boundaries, dataOffset, elementSize: t.size };
}

export const IDX_TYPES = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

/** An IDX file: 0 0 type ndims, big-endian uint32 dimensions, big-endian values. */
export function idxFile(type, shape, values) {
  const size = IDX_TYPES[type];
  const dataOffset = 4 + 4 * shape.length;
  const out = new Uint8Array(dataOffset + values.length * size);
  const view = new DataView(out.buffer);
  out.set([0, 0, type, shape.length]);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((v, i) => {
    const p = dataOffset + i * size;
    if (type === 0x08) view.setUint8(p, v);
    else if (type === 0x09) view.setInt8(p, v);
    else if (type === 0x0b) view.setInt16(p, v, false);
    else if (type === 0x0c) view.setInt32(p, v, false);
    else if (type === 0x0d) view.setFloat32(p, v, false);
    else view.setFloat64(p, v, false);
  });
  const boundaries = [0, 1, 2, 3, 4, dataOffset - 1, dataOffset, out.length - 1, out.length];
  for (let i = 0; i < shape.length; i++) boundaries.push(4 + 4 * i, 6 + 4 * i);
  for (let i = 1; i < values.length; i++) boundaries.push(dataOffset + i * size - 1);
  return { bytes: out, boundaries, dataOffset };
}

/** Offsets of every line end and separator, and a few mid-token cuts, in a text seed. */
function textBoundaries(bytes) {
  const out = [0, 1, bytes.length - 1, bytes.length];
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 10 || c === 13 || c === 44 || c === 59 || c === 9 || c === 32 || c === 58) out.push(i, i + 1);
    if (c === 46 || c === 101) out.push(i + 1); // after '.' or 'e': a number cut mid-token
  }
  return out;
}

function number(r, integer) {
  if (integer) return String(r.range(-3, 9));
  return r.pick([
    () => String(r.range(-100, 100)),
    () => (r.next() * 20 - 10).toFixed(r.range(0, 6)),
    () => (r.next() * 10).toExponential(r.range(0, 4)),
    () => `+.${r.range(0, 99)}`,
    () => `${r.range(0, 9)}.`,
    () => `-${r.range(1, 9)}E-${r.range(1, 30)}`,
  ])();
}

function csvSeed(r, labels) {
  const dim = labels ? 1 : r.range(1, 5);
  const rows = r.range(1, 10);
  const sep = r.pick([',', ';', '\t', ', ']);
  const eol = r.pick(['\n', '\n', '\r\n', '\r']);
  const quote = r.chance(0.2);
  const field = (s) => (quote && r.chance(0.5) ? `"${s}"` : s);
  const lines = [];
  if (r.chance(0.5)) lines.push(Array.from({ length: dim }, (_, j) => field(r.pick(['x', 'y', 'label', 'col'] ) + j)).join(sep));
  for (let i = 0; i < rows; i++) {
    if (r.chance(0.1)) lines.push(r.pick(['', '  ', '\t']));
    lines.push(Array.from({ length: dim }, () => field(number(r, labels))).join(sep));
  }
  const text = (r.chance(0.15) ? '\ufeff' : '') + lines.join(eol) + (r.chance(0.7) ? eol : '');
  return utf8(text);
}

function libsvmSeed(r) {
  const rows = r.range(1, 10);
  const maxIndex = r.range(1, 12);
  const zeroBased = r.chance(0.2);
  const labelKind = r.pick(['binary', 'classes', 'float']);
  const lines = [];
  if (r.chance(0.2)) lines.push('# a comment line');
  for (let i = 0; i < rows; i++) {
    const label = labelKind === 'binary' ? r.pick(['-1', '+1', '1']) : labelKind === 'classes' ? String(r.range(0, 4)) : number(r, false);
    const tokens = [label];
    if (r.chance(0.1)) tokens.push(`qid:${r.range(1, 5)}`);
    for (let k = zeroBased ? 0 : 1; k <= maxIndex; k++) if (r.chance(0.4)) tokens.push(`${k}:${number(r, false)}`);
    let line = tokens.join(r.chance(0.1) ? '\t' : ' ');
    if (r.chance(0.15)) line += ' # trailing comment';
    if (r.chance(0.1)) line += '  ';
    lines.push(line);
  }
  return { bytes: utf8(lines.join(r.chance(0.2) ? '\r\n' : '\n') + '\n'), zeroBased };
}

function npySeed(r, labels) {
  const descr = r.pick(NPY_TYPES);
  const t = typeOf(descr);
  const shape = labels ? (r.chance(0.7) ? [r.range(1, 12)] : [r.range(1, 12), 1]) : [r.range(1, 12), r.range(1, 5)];
  const count = shape.reduce((a, b) => a * b, 1);
  const integer = labels || t.kind !== 'f';
  const max = t.kind === 'f' ? 1000 : 2 ** (Math.min(t.size, 4) * 8 - 1) - 1;
  const values = Array.from({ length: count }, () => (integer ? r.range(0, Math.min(max, labels ? 9 : max)) : (r.next() - 0.5) * max));
  return npyFile({ descr, shape, fortran: !labels && r.chance(0.25), version: r.pick([1, 1, 2, 3]), values });
}

function idxSeed(r, labels) {
  const type = Number(r.pick(Object.keys(IDX_TYPES)));
  const shape = labels ? [r.range(1, 12)] : [r.range(1, 8), ...Array.from({ length: r.range(1, 2) }, () => r.range(1, 4))];
  const count = shape.reduce((a, b) => a * b, 1);
  const lo = { 0x08: 0, 0x09: -128, 0x0b: -3000, 0x0c: -100000, 0x0d: -1, 0x0e: -1 }[type];
  const hi = { 0x08: 255, 0x09: 127, 0x0b: 3000, 0x0c: 100000, 0x0d: 1, 0x0e: 1 }[type];
  const values = Array.from({ length: count }, () => (type >= 0x0d && !labels ? lo + r.next() * (hi - lo) : r.range(Math.max(lo, labels ? 0 : lo), labels ? 9 : hi)));
  const file = idxFile(type, shape, values);
  if (r.chance(0.25)) return { bytes: new Uint8Array(gzipSync(file.bytes)), boundaries: [0, 1, 2, 10, 20], gz: true };
  return file;
}

/** `count` random valid seeds of one format; `labels` asks for label files (one integer column). */
export function makeSeeds(r, format, count) {
  const seeds = [];
  for (let i = 0; i < count; i++) {
    const labels = format !== 'libsvm' && i % 3 === 2;
    let seed;
    if (format === 'npy') seed = npySeed(r, labels);
    else if (format === 'idx') seed = idxSeed(r, labels);
    else if (format === 'csv') { const bytes = csvSeed(r, labels); seed = { bytes, boundaries: textBoundaries(bytes) }; }
    else { const s = libsvmSeed(r); seed = { ...s, boundaries: textBoundaries(s.bytes) }; }
    seeds.push({ format, name: `${format}-${labels ? 'labels' : 'matrix'}-${i}`, labels, ...seed });
  }
  return seeds;
}

/** The .npy files under test/fixtures/io (NumPy-written, including unsupported dtypes), if present. */
export function fixtureSeeds(root) {
  const dir = join(root, 'test', 'fixtures', 'io');
  let names = [];
  try { names = readdirSync(dir).filter((n) => n.endsWith('.npy')).sort(); } catch { return []; }
  return names.map((name) => {
    const bytes = new Uint8Array(readFileSync(join(dir, name)));
    return { format: 'npy', name: `fixture:${name}`, labels: /labels|1d/.test(name), bytes, boundaries: [0, 6, 8, 10, 64, 127, 128, bytes.length - 1] };
  });
}
