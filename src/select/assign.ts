// Every member of a ground set to its nearest pick, with the kernels (assembly/assign.ts):
// facilityLocationCost, and the partitioned optimizer's weights and cost where its merge round
// cannot assign the other members itself (cosine).
import { Arena } from '../kernels/arena.js';
import type { KernelExports } from '../kernels/wasm.js';
import type { PackedPoints } from './ground-set.js';
import { metricDescriptor, type Metric } from './metric.js';

export interface Assignment {
  /** For each point, the index (into the chosen points) of its nearest chosen point; the earlier one on ties. */
  pick: Int32Array;
  /** For each point, the distance to it. */
  distance: Float32Array;
}

/** `points` and `chosen` packed alike (the same centring: gatherPoints from one packGroundSet). */
export function assignToPicks(kernels: KernelExports, points: PackedPoints, chosen: PackedPoints, metric: Metric): Assignment {
  const n = points.count, k = chosen.count, width = points.width;
  if (n === 0) return { pick: new Int32Array(0), distance: new Float32Array(0) };
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
  arena.f32(pointsAt, n * width).set(points.data);
  arena.f32(chosenAt, k * width).set(chosen.data);
  kernels.squaredNorms(pointsAt, n, width, normsAt);
  kernels.squaredNorms(chosenAt, k, width, chosenNormsAt);
  kernels.assignNearest(pointsAt, normsAt, n, chosenAt, chosenNormsAt, k, width, metricDescriptor(metric).code, panelAt, panelRows, pickAt, distanceAt);
  return { pick: arena.i32(pickAt, n).slice(), distance: arena.f32(distanceAt, n).slice() };
}
