// A tiny runtime-neutral assert helper (no node:, Deno. or vitest): the shared cases run
// unchanged in Node (vitest), Deno (deno test) and Chromium (page and module Worker).

export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

export function fail(message: string): never {
  throw new AssertionError(message);
}

export function ok(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value !== null && typeof value === 'object' && typeof (value as ArrayLike<unknown>).length === 'number') {
    const list = Array.from(value as ArrayLike<unknown>);
    const head = list.slice(0, 12).map(show).join(', ');
    return `[${head}${list.length > 12 ? `, ... (${list.length})` : ''}]`;
  }
  return String(value);
}

export function equal<T>(actual: T, expected: T, message: string): void {
  if (!Object.is(actual, expected)) fail(`${message}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Element-wise identical (Object.is) arrays of the same length. */
export function sameArray(actual: ArrayLike<unknown>, expected: ArrayLike<unknown>, message: string): void {
  if (actual.length !== expected.length) {
    fail(`${message}: length ${actual.length}, expected ${expected.length} (got ${show(actual)}, expected ${show(expected)})`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      fail(`${message}: first difference at [${i}]: expected ${show(expected[i])}, got ${show(actual[i])}\n  expected ${show(expected)}\n  got      ${show(actual)}`);
    }
  }
}

/** |actual - expected| <= rel * max(|actual|, |expected|) (+ abs). */
export function close(actual: number, expected: number, rel: number, message: string, abs = 0): void {
  ok(Number.isFinite(actual), `${message}: got ${actual}, expected a finite number close to ${expected}`);
  const error = Math.abs(actual - expected);
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  if (!(error <= rel * scale + abs)) {
    fail(`${message}: expected ${expected}, got ${actual} (relative error ${(error / (scale || 1)).toExponential(2)} > ${rel})`);
  }
}

/** The error `fn` throws synchronously (fails if it returns). */
export function throws(fn: () => unknown, message: string): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  fail(`${message}: expected an error, but it returned`);
}

/** The error a promise rejects with (fails if it resolves). */
export async function rejects(promise: () => Promise<unknown>, message: string): Promise<Error> {
  let result: unknown;
  try {
    result = await promise();
  } catch (error) {
    return error as Error;
  }
  fail(`${message}: expected a rejection, but it resolved to ${show(result)}`);
}
