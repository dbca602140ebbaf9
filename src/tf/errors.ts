// Error helpers of the tfjs layer. Only AdacoreError is imported from ../errors.js: the tf bundle
// (dist/adacore-tf.mjs) takes that module from dist/adacore.mjs rather than bundling a second
// copy, so `instanceof AdacoreError` holds whichever bundle threw, and dist/adacore.mjs exports
// AdacoreError but not `check` (see rollup.config.mjs).
import { AdacoreError } from '../errors.js';

export { AdacoreError };

/** Throw an AdacoreError naming `argument` unless `condition` holds. */
export function ensure(condition: unknown, argument: string, message: string | (() => string)): asserts condition {
  if (!condition) throw new AdacoreError(argument, typeof message === 'function' ? message() : message);
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
