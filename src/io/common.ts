// Helpers shared by the readers: options, memory budget, text and number parsing,
// and decoding of binary numeric arrays (.npy and IDX use the same element types).
import { AdacoreError, check } from '../errors.js';
import type { ReadOptions } from './types.js';

export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

export interface Resolved {
  source: string;
  maxBytes: number;
}

export function resolveOptions(opts: ReadOptions = {}): Resolved {
  const source = opts.source ?? 'input';
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  check(maxBytes >= 0, 'maxBytes', `must be a non-negative number of bytes, got ${maxBytes}`);
  return { source, maxBytes };
}

/** Throw unless `decodedBytes` fits the budget; `what` says where the size came from. */
export function checkBudget(source: string, decodedBytes: number, maxBytes: number, what: string): void {
  check(
    decodedBytes <= maxBytes,
    source,
    `${what} (${decodedBytes} bytes), more than maxBytes (${maxBytes}); raise maxBytes if this is intended`,
  );
}

/** Product of dimensions; throws when it is not a safe integer (absurd header). */
export function product(shape: readonly number[], source: string): number {
  let n = 1;
  for (const d of shape) n *= d;
  check(Number.isSafeInteger(n), source, `shape ${shapeText(shape)} is too large`);
  return n;
}

/**
 * A shape for an error message, e.g. "3 x 28 x 28". Fuzzing found IDX headers of 255
 * dimensions making messages of thousands of characters: past 8 dimensions the middle is elided.
 */
export function shapeText(shape: readonly number[]): string {
  if (shape.length <= 8) return shape.join(' x ');
  return `${shape.slice(0, 4).join(' x ')} x ... x ${shape.slice(-2).join(' x ')} (${shape.length} dimensions)`;
}

type TypedArrayCtor<T> = new (length: number) => T;

/**
 * A zeroed typed array for decoded data. The budget is checked before this, but with a large
 * maxBytes the runtime can still refuse (V8 caps a typed array at 2^32 elements; a browser may
 * have less memory): fuzzing found LIBSVM indices such as 99999999999:1 with maxBytes Infinity
 * ending in a bare RangeError. It is an AdacoreError naming the size instead.
 */
export function allocate<T>(Ctor: TypedArrayCtor<T>, count: number, source: string, what: string): T {
  try {
    return new Ctor(count);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const bytes = count * ((Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT ?? 1);
    throw new AdacoreError(source, `cannot allocate ${bytes} bytes for ${what} (${e.message}); lower maxBytes or use a smaller file`);
  }
}

/**
 * Text from either a string or UTF-8 bytes, without a byte-order mark. A JavaScript string holds
 * at most about 2^29 characters in V8 (512 MiB of ASCII), and the CLI's default
 * --max-input-bytes is 2 GiB: a larger text file made TextDecoder throw a plain Error
 * (ERR_STRING_TOO_LONG). It is an AdacoreError naming the file now.
 */
export function toText(input: string | Uint8Array, source = 'input'): string {
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new AdacoreError(source, `cannot hold ${input.length} bytes as one text (${why}); split the file or convert it to .npy`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** A token quoted for an error message, shortened if long. */
export function quote(token: string): string {
  return JSON.stringify(token.length > 40 ? token.slice(0, 37) + '...' : token);
}

// `\d+(?:\.\d*)?`, not `\d+\.?\d*`: the latter can split a run of digits between its two
// `\d`s in n ways, and fuzzing found a 100,000-digit token that does not parse (followed by a
// letter) taking 17 s to be refused. This form has one way to match, linear in the length.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = {
  nan: NaN, '+nan': NaN, '-nan': NaN,
  inf: Infinity, '+inf': Infinity, infinity: Infinity, '+infinity': Infinity,
  '-inf': -Infinity, '-infinity': -Infinity,
};

/**
 * A decimal number, or nan/inf spelled as NumPy, Python or JS write them.
 * Stricter than Number(): '' and '0x10' are not numbers. Undefined when it does not parse.
 */
export function parseNumber(token: string): number | undefined {
  const s = token.trim();
  if (DECIMAL.test(s)) return Number(s);
  const lower = s.toLowerCase();
  return Object.hasOwn(SPECIAL, lower) ? SPECIAL[lower] : undefined;
}

/** A binary element type: 'f' float, 'i' signed or 'u' unsigned integer, size in bytes. */
export interface NumericType {
  kind: 'f' | 'i' | 'u';
  size: 1 | 2 | 4 | 8;
  bigEndian: boolean;
}

export function typeName(t: NumericType): string {
  const base = (t.kind === 'f' ? 'float' : t.kind === 'i' ? 'int' : 'uint') + t.size * 8;
  return t.bigEndian && t.size > 1 ? `${base} (big-endian)` : base;
}

type Reader = (view: DataView, pos: number) => number;

/** Read one element at a byte position; handles either byte order and 64-bit integers. */
export function elementReader(t: NumericType): Reader {
  const le = !t.bigEndian;
  switch (`${t.kind}${t.size}`) {
    case 'f4': return (v, p) => v.getFloat32(p, le);
    case 'f8': return (v, p) => v.getFloat64(p, le);
    case 'i1': return (v, p) => v.getInt8(p);
    case 'u1': return (v, p) => v.getUint8(p);
    case 'i2': return (v, p) => v.getInt16(p, le);
    case 'u2': return (v, p) => v.getUint16(p, le);
    case 'i4': return (v, p) => v.getInt32(p, le);
    case 'u4': return (v, p) => v.getUint32(p, le);
    case 'i8': return (v, p) => Number(v.getBigInt64(p, le));
    case 'u8': return (v, p) => Number(v.getBigUint64(p, le));
    default: throw new Error(`no reader for ${typeName(t)}`);
  }
}

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayLike<number>;

/** Typed-array constructors for the types a little-endian host can view directly. */
const NATIVE_VIEWS: Record<string, ViewCtor> = {
  f4: Float32Array, f8: Float64Array, i1: Int8Array, u1: Uint8Array,
  i2: Int16Array, u2: Uint16Array, i4: Int32Array, u4: Uint32Array,
};

export type NumericArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Int32Array;

/**
 * Decode `out.length` elements of type `t` starting at bytes[offset] into `out`,
 * converting to out's element type. Caller has checked that the bytes are there.
 */
export function decodeInto(bytes: Uint8Array, offset: number, t: NumericType, out: NumericArray): void {
  const count = out.length;
  const Ctor = NATIVE_VIEWS[`${t.kind}${t.size}`];
  if (Ctor && (!t.bigEndian || t.size === 1)) {
    // Fast path: view the bytes as their own type (copying only if misaligned); set() converts.
    const start = bytes.byteOffset + offset;
    const end = offset + count * t.size;
    const src = start % t.size === 0 ? bytes.subarray(offset, end) : bytes.slice(offset, end);
    out.set(new Ctor(src.buffer, src.byteOffset, count));
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * t.size);
  const read = elementReader(t);
  for (let i = 0; i < count; i++) out[i] = read(view, i * t.size);
}

/** Decode integer-valued labels; a non-integer or out-of-int32 value names its position. */
export function decodeLabels(bytes: Uint8Array, offset: number, t: NumericType, count: number, source: string): Int32Array {
  const out = new Int32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * t.size);
  const read = elementReader(t);
  for (let i = 0; i < count; i++) {
    const v = read(view, i * t.size);
    check(isInt32(v), source, `label at position ${i} is ${v}, not an integer label`);
    out[i] = v;
  }
  return out;
}

export function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
}
