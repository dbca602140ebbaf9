// Every member of a ground set to its nearest pick, with the kernels (assembly/assign.ts):
// the partitioned optimizer's weights and cost, and facilityLocationCost.
import { Arena } from '../kernels/arena.js';
import { paddedWidth, type KernelExports } from '../kernels/wasm.js';
import { packGroundSet } from './ground-set.js';
import { METRIC_CODE, type Metric } from './options.js';
import type { Rows } from './vectors.js';

export interface Assignment {
  /** For each member, the index (into `picks`) of its nearest pick; the earlier pick on ties. */
  pick: Int32Array;
  /** For each member, the distance to that pick. */
  distance: Float32Array;
}

/** `picks` are positions in `members`. */
export function assignToPicks(kernels: KernelExports, rows: Rows, members: Int32Array, picks: Int32Array, metric: Metric): Assignment {
  const n = members.length, k = picks.length;
  const width = paddedWidth(rows.dim);
  const arena = new Arena(kernels);
  // allocate first: growing the memory detaches earlier views
  const pointsAt = arena.alloc(n * width * 4, `the ${n} x ${width} float32 points`);
  const normsAt = arena.alloc(n * 4, 'norms');
  const chosenAt = arena.alloc(k * width * 4, 'the picks');
  const chosenNormsAt = arena.alloc(Math.ceil(k / 4) * 16, 'norms of the picks');
  // panels of about 256 KiB stay in L2 (the low-dimension path needs none)
  const panelRows = Math.max(2, Math.floor(65536 / k));
  const panelAt = arena.alloc(panelRows * k * 4, 'distance panel');
  const pickAt = arena.alloc(n * 4, 'nearest picks');
  const distanceAt = arena.alloc(n * 4, 'distances to the nearest picks');
  const points = arena.f32(pointsAt, n * width);
  packGroundSet(rows, members, metric, width, points);
  const chosen = arena.f32(chosenAt, k * width);
  for (let j = 0; j < k; j++) chosen.set(points.subarray(picks[j] * width, (picks[j] + 1) * width), j * width);
  kernels.squaredNorms(pointsAt, n, width, normsAt);
  kernels.squaredNorms(chosenAt, k, width, chosenNormsAt);
  kernels.assignNearest(pointsAt, normsAt, n, chosenAt, chosenNormsAt, k, width, METRIC_CODE[metric], panelAt, panelRows, pickAt, distanceAt);
  return { pick: arena.i32(pickAt, n).slice(), distance: arena.f32(distanceAt, n).slice() };
}
