// L(S), the facility-location cost of a subset (docs/algorithms.md, section 6): a quality
// measure of a selection, not to be confused with the distance metrics it is measured in.
import { AdacoreError, check } from '../errors.js';
import { acquireKernels, paddedWidth, releaseKernels, type KernelExports } from '../kernels/wasm.js';
import { assignToPicks } from '../select/assign.js';
import { partitionRows } from '../select/classes.js';
import { gatherPoints, packGroundSet } from '../select/ground-set.js';
import { METRICS, type Metric } from '../select/metric.js';
import { toRows, type Rows, type VectorsInput } from '../select/vectors.js';
import { checkIndices } from './indices.js';

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
  const picks = Int32Array.from(chosen, (row) => position.get(row)!);
  const { distance } = assignToPicks(kernels, points, gatherPoints(points, picks), metric);
  // a selected row is at distance 0 from itself (docs/algorithms.md section 3.5), as in a selection's
  // cost: the kernel compares rows, not positions, so a zero row was at cosine distance 1 from itself
  for (const t of picks) distance[t] = 0;
  let cost = 0;
  for (let i = 0; i < distance.length; i++) cost += distance[i];
  return cost;
}
