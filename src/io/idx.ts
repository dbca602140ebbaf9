// IDX reader, the format of (Fashion-)MNIST: two zero bytes, a type code, the number of
// dimensions, then each dimension as a big-endian uint32, then big-endian values.
// Gzipped files (.gz) are decompressed with the standard DecompressionStream.
import { AdacoreError, check } from '../errors.js';
import type { Matrix, ReadOptions } from './types.js';
import {
  allocate, checkBudget, decodeInto, decodeLabels, product, resolveOptions, shapeText, type NumericType,
} from './common.js';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxMatrixOptions extends ReadOptions {
  /** Multiply every value, e.g. 1/255 to map pixels to [0, 1]. */
  scale?: number;
}

interface IdxType extends NumericType {
  name: string;
  make: (n: number) => IdxData;
}

const TYPES: Record<number, IdxType> = {
  0x08: { name: 'ubyte', kind: 'u', size: 1, bigEndian: true, make: (n) => new Uint8Array(n) },
  0x09: { name: 'byte', kind: 'i', size: 1, bigEndian: true, make: (n) => new Int8Array(n) },
  0x0b: { name: 'short', kind: 'i', size: 2, bigEndian: true, make: (n) => new Int16Array(n) },
  0x0c: { name: 'int', kind: 'i', size: 4, bigEndian: true, make: (n) => new Int32Array(n) },
  0x0d: { name: 'float', kind: 'f', size: 4, bigEndian: true, make: (n) => new Float32Array(n) },
  0x0e: { name: 'double', kind: 'f', size: 8, bigEndian: true, make: (n) => new Float64Array(n) },
};

interface IdxHeader {
  type: IdxType;
  shape: number[];
  count: number;
  dataOffset: number;
}

/** Read an IDX file (optionally gzipped) keeping its element type. */
export async function readIdx(bytes: Uint8Array, opts: ReadOptions = {}): Promise<{ data: IdxData; shape: number[] }> {
  const { source, maxBytes } = resolveOptions(opts);
  const raw = await maybeGunzip(bytes, source, maxBytes);
  const h = parseIdxHeader(raw, source);
  checkBudget(source, h.count * h.type.size, maxBytes, `header says ${shapeText(h.shape)} ${h.type.name}`);
  checkPayload(raw, h, source);
  const data = h.type.make(h.count);
  decodeInto(raw, h.dataOffset, h.type, data);
  return { data, shape: h.shape };
}

/** Read IDX data as a float32 matrix; 3-D and higher (n x 28 x 28 images) flatten to n x 784. */
export async function readIdxMatrix(bytes: Uint8Array, opts: IdxMatrixOptions = {}): Promise<Matrix> {
  const { source, maxBytes } = resolveOptions(opts);
  // Fuzzing found scale NaN or Infinity turning every pixel into NaN or Infinity, silently.
  const scale = opts.scale ?? 1;
  check(typeof scale === 'number' && Number.isFinite(scale), 'scale', `expected a finite number, e.g. 1/255, got ${String(scale)}`);
  const raw = await maybeGunzip(bytes, source, maxBytes);
  const h = parseIdxHeader(raw, source);
  check(h.shape.length >= 2, source, `expected 2-D or higher IDX data (rows, ...) but the shape is ${shapeText(h.shape)}`);
  const rows = h.shape[0];
  const dim = product(h.shape.slice(1), source);
  checkBudget(source, h.count * 4, maxBytes, `header says ${rows} x ${dim} float32`);
  checkPayload(raw, h, source);
  const data = allocate(Float32Array, h.count, source, `${rows} x ${dim} values`);
  decodeInto(raw, h.dataOffset, h.type, data);
  if (scale !== 1) for (let i = 0; i < data.length; i++) data[i] *= scale;
  return { data, rows, dim };
}

/** Read 1-D IDX labels (e.g. MNIST's ubyte 0..9) as int32. */
export async function readIdxLabels(bytes: Uint8Array, opts: ReadOptions = {}): Promise<Int32Array> {
  const { source, maxBytes } = resolveOptions(opts);
  const raw = await maybeGunzip(bytes, source, maxBytes);
  const h = parseIdxHeader(raw, source);
  check(h.shape.length === 1, source, `expected 1-D IDX labels but the shape is ${shapeText(h.shape)}`);
  checkBudget(source, h.count * 4, maxBytes, `header says ${h.count} labels as int32`);
  checkPayload(raw, h, source);
  return decodeLabels(raw, h.dataOffset, h.type, h.count, source);
}

function parseIdxHeader(bytes: Uint8Array, source: string): IdxHeader {
  check(bytes.length >= 4, source, `not an IDX file: only ${bytes.length} bytes`);
  check(bytes[0] === 0 && bytes[1] === 0, source, `not an IDX file: bad magic ${hex(bytes[0])} ${hex(bytes[1])} (expected 0x00 0x00)`);
  const type = TYPES[bytes[2]];
  if (!type) {
    const known = Object.entries(TYPES).map(([code, t]) => `${hex(Number(code))} ${t.name}`).join(', ');
    throw new AdacoreError(source, `unsupported IDX type code ${hex(bytes[2])}; known: ${known}`);
  }
  const ndims = bytes[3];
  check(ndims >= 1, source, 'malformed IDX header: 0 dimensions');
  const dataOffset = 4 + 4 * ndims;
  check(bytes.length >= dataOffset, source, `truncated: IDX header has ${ndims} dimensions but the file is ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, dataOffset);
  const shape = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { type, shape, count: product(shape, source), dataOffset };
}

function checkPayload(bytes: Uint8Array, h: IdxHeader, source: string): void {
  const need = h.count * h.type.size;
  const have = bytes.length - h.dataOffset;
  check(
    have >= need,
    source,
    `truncated: header says ${shapeText(h.shape)} ${h.type.name} (${need} bytes) but only ${have} bytes follow`,
  );
}

function hex(b: number): string {
  return '0x' + b.toString(16).padStart(2, '0');
}

const MAX_HEADER = 4 + 4 * 255;

/** Gunzip when the bytes start with the gzip magic 1f 8b; otherwise return them as they are. */
async function maybeGunzip(bytes: Uint8Array, source: string, maxBytes: number): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  // The decompressed size is unknown up front: stop once it passes the budget.
  return gunzip(bytes, source, maxBytes + MAX_HEADER);
}

async function gunzip(bytes: Uint8Array, source: string, limit: number): Promise<Uint8Array> {
  const input = new ReadableStream<BufferSource>({
    start(controller) {
      controller.enqueue(bytes as BufferSource); // lib.dom types exclude SharedArrayBuffer views
      controller.close();
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new AdacoreError(source, `gzip data is truncated or corrupt (${why})`);
    }
    if (result.done) break;
    total += result.value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new AdacoreError(source, `decompressed data exceeds maxBytes (${limit - MAX_HEADER} bytes); raise maxBytes if this is intended`);
    }
    chunks.push(result.value);
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
