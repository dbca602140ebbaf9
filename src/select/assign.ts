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
  // the picks a chunk at a time, so that a chunk's rows stay in cache while every point passes
  // (with 100,000 picks of d = 64, each pair of points streamed 26 MB of picks from memory);
  // panels of about 256 KiB stay in L2 (the low-dimension path needs none)
  const chunk = Math.min(k, Math.max(64, Math.floor(CHUNK_BYTES / (width * 4 * 4)) * 4));
  const panelRows = Math.max(2, Math.floor(65536 / chunk));
  const panelAt = arena.alloc(panelRows * chunk * 4, 'distance panel');
  const pickAt = arena.alloc(n * 4, 'nearest picks');
  const distanceAt = arena.alloc(n * 4, 'distances to the nearest picks');
  arena.f32(pointsAt, n * width).set(points.data);
  arena.f32(chosenAt, k * width).set(chosen.data);
  kernels.squaredNorms(pointsAt, n, width, normsAt);
  kernels.squaredNorms(chosenAt, k, width, chosenNormsAt);
  const code = metricDescriptor(metric).code;
  let pick: Int32Array | undefined, distance: Float32Array | undefined;
  for (let first = 0; first < k; first += chunk) {
    const count = Math.min(chunk, k - first);
    kernels.assignNearest(pointsAt, normsAt, n, chosenAt + first * width * 4, chosenNormsAt + first * 4, count, width, code, panelAt, panelRows, pickAt, distanceAt);
    const chunkPick = arena.i32(pickAt, n), chunkDistance = arena.f32(distanceAt, n);
    if (pick === undefined || distance === undefined) {
      pick = chunkPick.slice();
      distance = chunkDistance.slice();
      continue;
    }
    // a later chunk wins only when strictly nearer: ties keep the earlier pick
    for (let i = 0; i < n; i++) {
      if (chunkDistance[i] < distance[i]) { distance[i] = chunkDistance[i]; pick[i] = first + chunkPick[i]; }
    }
  }
  return { pick: pick!, distance: distance! };
}

/** Bytes of pick rows per pass of the assignment kernel (2,048 picks of d = 64), a multiple of four picks. */
const CHUNK_BYTES = 512 * 1024;
