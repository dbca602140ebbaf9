// Writers for what `adacore prune` (or a caller) saves: a matrix, labels or weights as .npy
// (format 1.0, little-endian, C order) or as delimited text, runtime-neutral (bytes out).
import { check } from '../errors.js';

export type NpyArray = Float32Array | Float64Array | Int32Array;

const DESCR = (data: NpyArray): string => (data instanceof Float64Array ? '<f8' : data instanceof Int32Array ? '<i4' : '<f4');

/**
 * A .npy file holding `data` with `shape` (rows, or rows x dim): NumPy's format 1.0 header
 * padded so that the data starts on a 64-byte boundary, then the values little-endian.
 */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  check(shape.length === 1 || shape.length === 2, 'shape', `expected (rows,) or (rows, dim), got ${shape.length} dimensions`);
  const count = shape.reduce((a, b) => a * b, 1);
  check(count === data.length, 'shape', `${shape.join(' x ')} is ${count} values but the data has ${data.length}`);
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape[0]}, ${shape[1]})`;
  let header = `{'descr': '${DESCR(data)}', 'fortran_order': False, 'shape': ${dims}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  check(header.length < 65536, 'shape', 'the .npy header is too long for format 1.0');
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, 10 + header.length);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float64Array) body.setFloat64(i * size, data[i], true);
    else if (data instanceof Int32Array) body.setInt32(i * size, data[i], true);
    else body.setFloat32(i * size, data[i], true);
  }
  return out;
}

/**
 * Delimited text, one line per row of `dim` values (JavaScript's shortest round-trip spelling,
 * so reading it back gives the same numbers).
 */
export function encodeCsv(data: ArrayLike<number>, dim: number, separator = ','): string {
  check(Number.isInteger(dim) && dim > 0 && data.length % dim === 0, 'dim', `expected a positive divisor of ${data.length}, got ${dim}`);
  const lines: string[] = [];
  const row: string[] = new Array(dim);
  for (let r = 0; r < data.length / dim; r++) {
    for (let j = 0; j < dim; j++) { const v = data[r * dim + j]; row[j] = Object.is(v, -0) ? '-0' : String(v); }
    lines.push(row.join(separator));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
