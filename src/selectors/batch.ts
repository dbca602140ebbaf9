// Validation of a GradientBatch: shapes, types and finite values, each error naming the row.
import { AdacoreError, check } from '../errors.js';
import type { GradientBatch } from './types.js';

/** Check the batch's shape and that every gradient is finite. */
export function checkGradients(batch: GradientBatch): void {
  checkGradientShape(batch);
  checkFinite(batch.gradients, batch.dim, 'gradients');
}

/** The shape half of checkGradients (for a caller that tests the values as it reads them). */
export function checkGradientShape(batch: GradientBatch): void {
  check(batch !== null && typeof batch === 'object', 'batch', 'expected { gradients, rows, dim }');
  const { gradients, rows, dim } = batch;
  check(Number.isInteger(rows) && rows > 0, 'rows', `expected a positive integer, got ${rows}`);
  check(Number.isInteger(dim) && dim > 0, 'dim', `expected a positive integer, got ${dim}`);
  check(gradients instanceof Float32Array, 'gradients', 'expected a Float32Array (rows x dim, row-major)');
  check(
    gradients.length === rows * dim, 'gradients',
    `expected rows x dim = ${rows} x ${dim} = ${rows * dim} values, got ${gradients.length}`,
  );
}

/**
 * Check the Hessian diagonals: rows x dim, or (when `sharedAllowed`) one model-wide diagonal
 * of length dim. Returns which of the two it is.
 */
export function checkHessianDiagonals(batch: GradientBatch, sharedAllowed: boolean): 'per-example' | 'shared' {
  const kind = checkHessianShape(batch, sharedAllowed);
  checkFinite(batch.hessianDiagonals!, kind === 'per-example' ? batch.dim : 0, 'hessianDiagonals');
  return kind;
}

/** The shape half of checkHessianDiagonals. */
export function checkHessianShape(batch: GradientBatch, sharedAllowed: boolean): 'per-example' | 'shared' {
  const { hessianDiagonals, rows, dim } = batch;
  if (hessianDiagonals === undefined) {
    throw new AdacoreError(
      'hessianDiagonals',
      'missing: AdaCore needs an estimate of each example\'s Hessian diagonal next to its gradient ' +
        '(use a gradient source that returns hessianDiagonals, or the craig method for plain gradients)',
    );
  }
  check(hessianDiagonals instanceof Float32Array, 'hessianDiagonals', 'expected a Float32Array');
  const perExample = hessianDiagonals.length === rows * dim;
  const shared = sharedAllowed && hessianDiagonals.length === dim;
  if (!perExample && !shared) {
    const expected = sharedAllowed
      ? `rows x dim = ${rows * dim} values (per example) or dim = ${dim} (one model-wide diagonal)`
      : `rows x dim = ${rows} x ${dim} = ${rows * dim} values, like the gradients`;
    throw new AdacoreError('hessianDiagonals', `expected ${expected}, got ${hessianDiagonals.length}`);
  }
  return perExample ? 'per-example' : 'shared';
}

/** Every value finite; `dim` 0 means one row shared by all (no row in the message). */
function checkFinite(values: Float32Array, dim: number, argument: string): void {
  for (let p = 0; p < values.length; p++) {
    if (!Number.isFinite(values[p])) {
      const where = dim > 0 ? `row ${Math.floor(p / dim)}, column ${p % dim}` : `column ${p} (of the shared diagonal)`;
      throw new AdacoreError(argument, `${where} is ${values[p]}; every value must be a finite number`);
    }
  }
}
