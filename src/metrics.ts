// Quality measures of a weighted subset (ALGORITHMS.md section 1).
import { AdacoreError, check } from './errors.js';
import { acquireKernels, paddedWidth, releaseKernels, type KernelExports } from './kernels/wasm.js';
import { assignToPicks } from './select/assign.js';
import { partitionRows } from './select/classes.js';
import { gatherPoints, packGroundSet } from './select/ground-set.js';
import { METRICS, type Metric } from './select/options.js';
import { toRows, type Rows, type VectorsInput } from './select/vectors.js';

function checkIndices(indices: ArrayLike<number>, count: number): void {
  check(indices != null && typeof indices.length === 'number', 'indices', 'expected an array of row indices');
  check(indices.length > 0, 'indices', 'empty: select at least one row');
  for (let p = 0; p < indices.length; p++) {
    const i = indices[p];
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new AdacoreError('indices', `indices[${p}] = ${i} is not a row index in 0..${count - 1}`);
    }
  }
}

/**
 * L(S) = sum_i min_{j in S} d(v_i, v_j), the facility-location cost of the rows `indices`.
 * With labels, each row counts its distance to the nearest selected row of its own class
 * (what a per-class selection minimises), and every class must have a selected row.
 */
export async function facilityLocationCost(
  vectors: VectorsInput, dim: number | undefined, indices: ArrayLike<number>,
  metric: Metric = 'euclidean', labels?: ArrayLike<number>,
): Promise<number> {
  check(METRICS.includes(metric), 'metric', `unknown metric ${JSON.stringify(metric)}; expected one of ${METRICS.join(', ')}`);
  const rows = toRows(vectors, dim);
  checkIndices(indices, rows.count);
  const selected = new Uint8Array(rows.count);
  for (let p = 0; p < indices.length; p++) selected[indices[p]] = 1;
  const groups = partitionRows(rows, labels);
  const chosenPerGroup = groups.map((members) => members.filter((i) => selected[i] === 1));
  chosenPerGroup.forEach((chosen, g) => {
    if (chosen.length === 0) throw new AdacoreError('indices', `no selected row in the class of row ${groups[g][0]}`);
  });
  const kernels = await acquireKernels();
  try {
    let cost = 0;
    groups.forEach((members, g) => { cost += groundSetCost(kernels, rows, members, chosenPerGroup[g], metric); });
    return cost;
  } finally {
    releaseKernels(kernels);
  }
}

function groundSetCost(kernels: KernelExports, rows: Rows, members: Int32Array, chosen: Int32Array, metric: Metric): number {
  const position = new Map<number, number>();
  members.forEach((row, t) => position.set(row, t));
  const points = packGroundSet(rows, members, metric, paddedWidth(rows.dim));
  const { distance } = assignToPicks(kernels, points, gatherPoints(points, Int32Array.from(chosen, (row) => position.get(row)!)), metric);
  let cost = 0;
  for (let i = 0; i < distance.length; i++) cost += distance[i];
  return cost;
}

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
