// The CLI's syntax for numbers: a whole string that spells a finite decimal, and byte counts
// with an optional K/M/G/T suffix. Domains (ranges, integers) are the library's to check.
import { UsageError } from './usage-error.js';

// One way to match a run of digits (see src/io/common.ts): `\d+\.?\d*` made a long argument
// of digits ending in a letter take seconds to be refused.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite decimal number spelling the whole string ("10x", "", "0x10" and "Infinity" are not). */
export function parseDecimal(flag: string, text: string, expected: string): number {
  const s = text.trim();
  const value = DECIMAL.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(value)) throw new UsageError(`${flag}: expected ${expected}, got ${JSON.stringify(text)}`);
  return value;
}

const BYTE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** A byte count: a non-negative number with an optional K/M/G/T suffix (KB, KiB, ... also accepted). */
export function parseBytes(flag: string, text: string): number {
  const expected = 'a number of bytes, optionally with a suffix K, M, G or T (e.g. 512M)';
  const m = /^\s*(\S+?)\s*(?:([kmgt])(?:i?b)?|b)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`${flag}: expected ${expected}, got ${JSON.stringify(text)}`);
  const value = parseDecimal(flag, m[1], expected) * BYTE_UNITS[(m[2] ?? '').toLowerCase()];
  if (!(value >= 0) || !Number.isFinite(value)) throw new UsageError(`${flag}: expected ${expected}, got ${text}`);
  return Math.floor(value);
}
