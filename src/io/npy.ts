// NumPy .npy reader (format versions 1.0, 2.0 and 3.0).
// Layout: "\x93NUMPY", major, minor, header length (uint16 LE for v1, uint32 LE for v2/v3),
// then a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }
// padded with spaces, then the raw array data.
import { AdacoreError, check } from '../errors.js';
import { parseHeaderLiteral } from './npy-header.js';
import type { Matrix, ReadOptions } from './types.js';
import {
  allocate, checkBudget, decodeInto, decodeLabels, product, resolveOptions, shapeText, typeName, type NumericType,
} from './common.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

interface NpyHeader {
  type: NumericType;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

/** Read a 2-D .npy array as a matrix: float32/float64 kept, integer types become float32. */
export function readNpyMatrix(bytes: Uint8Array, opts: ReadOptions = {}): Matrix {
  const { source, maxBytes } = resolveOptions(opts);
  const h = parseNpyHeader(bytes, source);
  check(h.shape.length === 2, source, `expected a 2-D array (rows, dim) but the shape is ${pyShape(h.shape)}`);
  const [rows, dim] = h.shape;
  const count = product(h.shape, source);
  const outSize = h.type.kind === 'f' && h.type.size === 8 ? 8 : 4;
  checkBudget(source, count * outSize, maxBytes, `header says ${rows} x ${dim} ${outSize === 8 ? 'float64' : 'float32'}`);
  checkPayload(bytes, h, count, source);
  const what = `${rows} x ${dim} values`;
  const data = outSize === 8 ? allocate(Float64Array, count, source, what) : allocate(Float32Array, count, source, what);
  decodeInto(bytes, h.dataOffset, h.type, data);
  // Fortran order stores columns contiguously; callers get row-major.
  return { data: h.fortranOrder ? transpose(data, rows, dim) : data, rows, dim };
}

/** Read integer labels from a 1-D (or (n, 1)) .npy array; float values must be whole numbers. */
export function readNpyLabels(bytes: Uint8Array, opts: ReadOptions = {}): Int32Array {
  const { source, maxBytes } = resolveOptions(opts);
  const h = parseNpyHeader(bytes, source);
  const ok = h.shape.length === 1 || (h.shape.length === 2 && h.shape[1] === 1);
  check(ok, source, `expected 1-D labels, shape (n,) or (n, 1), but the shape is ${pyShape(h.shape)}`);
  const count = h.shape[0];
  checkBudget(source, count * 4, maxBytes, `header says ${count} labels as int32`);
  checkPayload(bytes, h, count, source);
  return decodeLabels(bytes, h.dataOffset, h.type, count, source);
}

function checkPayload(bytes: Uint8Array, h: NpyHeader, count: number, source: string): void {
  const need = count * h.type.size;
  const have = bytes.length - h.dataOffset;
  check(
    have >= need,
    source,
    `truncated: header says ${shapeText(h.shape)} ${typeName(h.type)} (${need} bytes) but only ${have} bytes follow`,
  );
}

function parseNpyHeader(bytes: Uint8Array, source: string): NpyHeader {
  check(bytes.length >= 10, source, `not a .npy file: only ${bytes.length} bytes`);
  check(MAGIC.every((b, i) => bytes[i] === b), source, 'not a .npy file: bad magic (expected "\\x93NUMPY")');
  const major = bytes[6];
  check(major >= 1 && major <= 3, source, `unsupported .npy format version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const lenSize = major === 1 ? 2 : 4;
  check(bytes.length >= 8 + lenSize, source, 'truncated: the .npy header length is cut off');
  const headerLen = lenSize === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenSize;
  check(
    bytes.length >= start + headerLen,
    source,
    `truncated: the .npy header is ${headerLen} bytes but only ${bytes.length - start} bytes follow`,
  );
  const text = new TextDecoder('utf-8').decode(bytes.subarray(start, start + headerLen));
  return { ...parseHeaderDict(text, source), dataOffset: start + headerLen };
}

function parseHeaderDict(text: string, source: string): Omit<NpyHeader, 'dataOffset'> {
  check(text.trimStart().startsWith('{'), source, `malformed .npy header: ${snippet(text)}`);
  const entries = parseHeaderLiteral(text, source, escaped);
  const descr = entries.get('descr');
  if (descr?.kind === 'list') throw new AdacoreError(source, 'unsupported dtype: structured (record) arrays are not supported');
  check(descr?.kind === 'string', source, `malformed .npy header: no 'descr' in ${snippet(text)}`);
  const fortran = entries.get('fortran_order');
  check(fortran?.kind === 'bool', source, `malformed .npy header: no 'fortran_order' in ${snippet(text)}`);
  const shape = entries.get('shape');
  check(shape?.kind === 'tuple', source, `malformed .npy header: no 'shape' in ${snippet(text)}`);
  return {
    type: parseDescr(descr.text, source),
    fortranOrder: fortran.value,
    shape: parseShape(shape.items, source),
  };
}

const KIND_NAMES: Record<string, string> = {
  b: 'bool', c: 'complex', U: 'unicode string', S: 'byte string', a: 'byte string',
  O: 'Python object', V: 'void/raw', M: 'datetime', m: 'timedelta',
};

function parseDescr(descr: string, source: string): NumericType {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const kind = m?.[2] ?? '';
  const size = Number(m?.[3]);
  const supported = (kind === 'f' && (size === 4 || size === 8))
    || ((kind === 'i' || kind === 'u') && [1, 2, 4, 8].includes(size));
  if (!m || !supported) {
    const what = KIND_NAMES[kind] ?? (kind === 'f' ? `float${size * 8}` : 'unknown');
    throw new AdacoreError(
      source,
      `unsupported dtype '${escaped(descr)}' (${what}); supported: float32 '<f4', float64 '<f8', ` +
        `integers i1 u1 i2 u2 i4 u4 i8 u8 (either byte order)`,
    );
  }
  return { kind: kind as NumericType['kind'], size: size as NumericType['size'], bigEndian: m[1] === '>' };
}

function parseShape(inner: string, source: string): number[] {
  const parts = inner.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return parts.map((p) => {
    const m = /^(\d+)L?$/.exec(p); // Python 2 wrote longs as 1000L
    check(m, source, `malformed .npy header: bad shape (${escaped(inner)})`);
    return Number(m[1]);
  });
}

/**
 * Header text for a message: control characters escaped as JSON does, long text shortened.
 * Fuzzing found a shape or dtype's raw bytes (CR, LF, controls) copied into messages, which
 * then ran over several lines.
 */
function escaped(text: string): string {
  return JSON.stringify(text.length > 60 ? text.slice(0, 57) + '...' : text).slice(1, -1);
}

/** Python's spelling of a shape, e.g. (1000,) or (10, 3), as a user would see it in NumPy. */
function pyShape(shape: number[]): string {
  if (shape.length > 8) return `(${shapeText(shape).replace(/ x /g, ', ')})`;
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function snippet(text: string): string {
  const t = text.trim();
  return JSON.stringify(t.length > 80 ? t.slice(0, 77) + '...' : t);
}

/** Column-major rows x dim data to row-major. */
function transpose<T extends Float32Array | Float64Array>(src: T, rows: number, dim: number): T {
  if (rows <= 1 || dim <= 1) return src;
  const out = new (src.constructor as new (n: number) => T)(src.length);
  for (let c = 0; c < dim; c++) {
    for (let r = 0; r < rows; r++) out[r * dim + c] = src[c * rows + r];
  }
  return out;
}

/** Random access to a file's bytes: a Node FileHandle, a browser File or Blob, a Deno file (see docs). */
export interface ByteSource {
  /** The file's length in bytes. */
  size: number;
  /** `length` bytes from `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface NpyBlocksOptions extends ReadOptions {
  /** Rows per block; default: as many as fit in about 16 MiB. */
  rowsPerBlock?: number;
}

/** What npyRowBlocks reads from: the header's shape, and a stream of its rows. */
export interface NpyRowStream {
  rows: number;
  dim: number;
  /** Rows as float32 (float64 for '<f8' files), a block at a time; each call reads the file anew. */
  blocks: () => AsyncIterable<Float32Array | Float64Array>;
  /** The rows at `indices` (any order), row-major, in that order. */
  readRows(indices: ArrayLike<number>): Promise<Float32Array | Float64Array>;
}

/**
 * A 2-D C-order .npy file as a re-readable stream of row blocks (selectCoreset takes `blocks`),
 * without reading the whole file: for data larger than memory. The header is checked first.
 */
export async function npyRowBlocks(file: ByteSource, opts: NpyBlocksOptions = {}): Promise<NpyRowStream> {
  const { source } = resolveOptions(opts);
  const head = await file.read(0, Math.min(file.size, 65536 + 12));
  const h = parseNpyHeader(head, source);
  check(h.shape.length === 2, source, `expected a 2-D array (rows, dim) but the shape is ${pyShape(h.shape)}`);
  check(!h.fortranOrder, source, 'Fortran-order (column-major) files cannot be read a block of rows at a time; save it in C order');
  const [rows, dim] = h.shape;
  const rowBytes = dim * h.type.size;
  const need = h.dataOffset + rows * rowBytes;
  check(file.size >= need, source, `truncated: header says ${rows} x ${dim} ${typeName(h.type)} (${rows * rowBytes} bytes) but the file has ${file.size - h.dataOffset} after the header`);
  const float64 = h.type.kind === 'f' && h.type.size === 8;
  const perBlock = opts.rowsPerBlock ?? Math.max(1, Math.floor((16 << 20) / Math.max(1, rowBytes)));
  check(Number.isInteger(perBlock) && perBlock > 0, 'rowsPerBlock', `expected a positive integer, got ${perBlock}`);
  const decode = (bytes: Uint8Array, count: number) => {
    const out = float64 ? new Float64Array(count * dim) : new Float32Array(count * dim);
    decodeInto(bytes, 0, h.type, out);
    return out;
  };
  return {
    rows, dim,
    blocks: () => ({
      async *[Symbol.asyncIterator]() {
        for (let first = 0; first < rows; first += perBlock) {
          const count = Math.min(perBlock, rows - first);
          const bytes = await file.read(h.dataOffset + first * rowBytes, count * rowBytes);
          check(bytes.length === count * rowBytes, source, `short read at row ${first}: the file changed while it was read`);
          yield decode(bytes, count);
        }
      },
    }),
    async readRows(indices) {
      const out = float64 ? new Float64Array(indices.length * dim) : new Float32Array(indices.length * dim);
      for (let t = 0; t < indices.length; t++) {
        const row = indices[t];
        check(Number.isInteger(row) && row >= 0 && row < rows, 'indices', `row ${row} is outside 0..${rows - 1}`);
        out.set(decode(await file.read(h.dataOffset + row * rowBytes, rowBytes), 1), t * dim);
      }
      return out;
    },
  };
}
