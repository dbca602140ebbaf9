// The row indices a quality measure is asked about, checked the same way for both measures.
import { AdacoreError, check } from '../errors.js';

export function checkIndices(indices: ArrayLike<number>, count: number): void {
  check(indices != null && typeof indices.length === 'number', 'indices', 'expected an array of row indices');
  check(indices.length > 0, 'indices', 'empty: select at least one row');
  for (let p = 0; p < indices.length; p++) {
    const i = indices[p];
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new AdacoreError('indices', `indices[${p}] = ${i} is not a row index in 0..${count - 1}`);
    }
  }
}
