// E(S, gamma), the relative gradient error of a weighted subset (docs/algorithms.md, section 6).
import { check } from '../errors.js';
import { toRows, type VectorsInput } from '../select/vectors.js';
import { checkIndices } from './indices.js';

/**
 * E(S, gamma) = |sum_i v_i - sum_j gamma_j v_j| / |sum_i v_i|: how far the weighted subset's
 * gradient sum is from the full one, relative to the full one.
 */
export function gradientError(vectors: VectorsInput, dim: number | undefined, indices: ArrayLike<number>, weights: ArrayLike<number>): number {
  const rows = toRows(vectors, dim);
  checkIndices(indices, rows.count);
  check(weights != null && weights.length === indices.length, 'weights', `expected ${indices.length} weights (one per index), got ${weights?.length}`);
  for (let p = 0; p < weights.length; p++) {
    check(Number.isFinite(weights[p]), 'weights', `weights[${p}] is ${weights[p]}; expected a finite number`);
  }
  const full = new Float64Array(rows.dim);
  for (let i = 0; i < rows.count; i++) {
    const row = rows.row(i);
    for (let j = 0; j < rows.dim; j++) full[j] += row[j];
  }
  const difference = Float64Array.from(full);
  for (let p = 0; p < indices.length; p++) {
    const row = rows.row(indices[p]);
    for (let j = 0; j < rows.dim; j++) difference[j] -= weights[p] * row[j];
  }
  const fullNorm = norm(full);
  check(fullNorm > 0, 'vectors', 'the full sum of the vectors is zero, so the relative error is undefined');
  return norm(difference) / fullNorm;
}

function norm(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}
