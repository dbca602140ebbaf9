// The blob format of the distributed run's files: the magic "ADACBLOB", a little-endian u32
// header length, a JSON header (the arrays' names, dtypes and lengths, a small JSON `meta`, and
// the SHA-256 of the payload), then the arrays, each 8-byte aligned. A reader checks the
// magic, the header and the checksum before it trusts a byte: a torn or altered file is an
// error that names it, never rows read wrong.
import { createHash } from 'node:crypto';
import { AdacoreError } from '../index.js';

const MAGIC = 'ADACBLOB';
const DTYPES = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;
type Dtype = keyof typeof DTYPES;
export type BlobArray = Float32Array | Float64Array | Int32Array;

interface Header {
  arrays: { name: string; dtype: Dtype; length: number; offset: number }[];
  meta: unknown;
  bytes: number;
  sha256: string;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;
const dtypeOf = (a: BlobArray): Dtype => (a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : 'int32');

export function encodeBlob(arrays: Record<string, BlobArray>, meta: unknown = null): Uint8Array {
  let offset = 0;
  const entries = Object.entries(arrays).map(([name, a]) => {
    const entry = { name, dtype: dtypeOf(a), length: a.length, offset };
    offset = align8(offset + a.byteLength);
    return entry;
  });
  const payload = new Uint8Array(offset);
  for (const entry of entries) {
    const a = arrays[entry.name];
    payload.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), entry.offset);
  }
  const header: Header = { arrays: entries, meta, bytes: payload.length, sha256: createHash('sha256').update(payload).digest('hex') };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = align8(12 + json.length) - 12;
  const out = new Uint8Array(12 + headerBytes + payload.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, headerBytes, true);
  out.fill(0x20, 12, 12 + headerBytes);
  out.set(json, 12);
  out.set(payload, 12 + headerBytes);
  return out;
}

export interface DecodedBlob { arrays: Record<string, BlobArray>; meta: unknown }

/** The arrays and meta of a blob; `name` (its address) is in every error. */
export function decodeBlob(bytes: Uint8Array, name: string): DecodedBlob {
  const bad = (why: string) => new AdacoreError('blob', `${name}: ${why}`);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw bad('not an adacore blob (bad magic)');
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerBytes > bytes.length) throw bad(`truncated: its header claims ${headerBytes} bytes, the file has ${bytes.length - 12} after the magic`);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headerBytes))) as Header;
  } catch {
    throw bad('its header is not valid JSON');
  }
  if (!Array.isArray(header?.arrays) || typeof header.bytes !== 'number' || typeof header.sha256 !== 'string') throw bad('its header lacks arrays, bytes or sha256');
  const payload = bytes.subarray(12 + headerBytes);
  if (payload.length !== header.bytes) throw bad(`truncated or padded: ${payload.length} payload bytes where the header says ${header.bytes}`);
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) throw bad('checksum mismatch (the file was altered or torn after it was written)');
  const arrays: Record<string, BlobArray> = {};
  for (const { name: key, dtype, length, offset } of header.arrays) {
    const Type = DTYPES[dtype];
    if (Type === undefined || !Number.isInteger(length) || !Number.isInteger(offset) || offset % 8 !== 0 || offset + length * Type.BYTES_PER_ELEMENT > payload.length) {
      throw bad(`array ${key} (${dtype}, ${length}) does not fit its payload`);
    }
    // a copy: aligned, and free of the file's buffer
    arrays[key] = new Type(payload.slice(offset, offset + length * Type.BYTES_PER_ELEMENT).buffer);
  }
  return { arrays, meta: header.meta };
}
