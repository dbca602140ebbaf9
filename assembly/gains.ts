// Gain evaluation: the gain of candidate c is sum_i w_i max(0, minDist[i] - d(i, c)) (w_i = 1
// unless setWeights gave weights), from a dense matrix row, a sparse row after compaction,
// or distances computed on the fly into the panel on the tiled path.

import { TILE } from './dense';
import { distanceBlock } from './distance';
import {
  batchGains, candidates, dense, entryDistance, entryIndex, evaluations, metric, minDist, n, norms, packed,
  packedNorms, panel, points, rowStart, sparse, weights, width,
} from './state';

/** max(0, minDist - column) for four points. pmax is one instruction; max's NaN rules cost several. */
// @ts-ignore: decorator
@inline function excess4(minDistAt: usize, columnAt: usize): v128 {
  return f32x4.pmax(f32x4.splat(0), f32x4.sub(v128.load(minDistAt), v128.load(columnAt)));
}

/** sum_i max(0, minDist[i] - column[i]), in f32 lanes flushed to f64 every 256 values. */
export function gainOfColumn(column: usize): f64 {
  if (weights != 0) return weightedGainOfColumn(column);
  let total: f64 = 0;
  const whole = n & ~3;
  let i = 0;
  while (i < whole) {
    const end = min(whole, i + 256);
    // two accumulators, so consecutive adds do not wait on each other
    let acc = f32x4.splat(0), acc2 = f32x4.splat(0);
    for (; i + 8 <= end; i += 8) {
      const offset = <usize>i << 2;
      acc = f32x4.add(acc, excess4(minDist + offset, column + offset));
      acc2 = f32x4.add(acc2, excess4(minDist + offset + 16, column + offset + 16));
    }
    if (i < end) {
      acc = f32x4.add(acc, excess4(minDist + (<usize>i << 2), column + (<usize>i << 2)));
      i += 4;
    }
    acc = f32x4.add(acc, acc2);
    total += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) +
             <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  }
  for (; i < n; i++) {
    const offset = <usize>i << 2;
    const excess = load<f32>(minDist + offset) - load<f32>(column + offset);
    if (excess > 0) total += <f64>excess;
  }
  return total;
}

/** gainOfColumn with each point's excess times its weight (a separate loop keeps the unweighted one lean). */
function weightedGainOfColumn(column: usize): f64 {
  let total: f64 = 0;
  const whole = n & ~3;
  let i = 0;
  while (i < whole) {
    const end = min(whole, i + 256);
    let acc = f32x4.splat(0), acc2 = f32x4.splat(0);
    for (; i + 8 <= end; i += 8) {
      const offset = <usize>i << 2;
      acc = f32x4.add(acc, f32x4.mul(excess4(minDist + offset, column + offset), v128.load(weights + offset)));
      acc2 = f32x4.add(acc2, f32x4.mul(excess4(minDist + offset + 16, column + offset + 16), v128.load(weights + offset + 16)));
    }
    if (i < end) {
      const offset = <usize>i << 2;
      acc = f32x4.add(acc, f32x4.mul(excess4(minDist + offset, column + offset), v128.load(weights + offset)));
      i += 4;
    }
    acc = f32x4.add(acc, acc2);
    total += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) +
             <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  }
  for (; i < n; i++) {
    const offset = <usize>i << 2;
    const excess = load<f32>(minDist + offset) - load<f32>(column + offset);
    if (excess > 0) total += <f64>(excess * load<f32>(weights + offset));
  }
  return total;
}

/** The gain of c from its sparse row: only the points it could still bring nearer. */
export function sparseGain(c: i32): f64 {
  let total: f64 = 0;
  const end = load<i32>(rowStart + (<usize>(c + 1) << 2));
  if (weights != 0) {
    for (let e = load<i32>(rowStart + (<usize>c << 2)); e < end; e++) {
      const i = load<i32>(entryIndex + (<usize>e << 2));
      const excess = load<f32>(minDist + (<usize>i << 2)) - load<f32>(entryDistance + (<usize>e << 2));
      if (excess > 0) total += <f64>(excess * load<f32>(weights + (<usize>i << 2)));
    }
    return total;
  }
  for (let e = load<i32>(rowStart + (<usize>c << 2)); e < end; e++) {
    const i = load<i32>(entryIndex + (<usize>e << 2));
    const excess = load<f32>(minDist + (<usize>i << 2)) - load<f32>(entryDistance + (<usize>e << 2));
    if (excess > 0) total += <f64>excess;
  }
  return total;
}

/** The gain of candidate c on the dense path (a matrix row, or its sparse row once compacted). */
export function denseGain(c: i32): f64 {
  return sparse ? sparseGain(c) : gainOfColumn(columnOf(c));
}

/** Distances from point c to every point: a matrix row on the dense path, else computed into the panel. */
export function columnOf(c: i32): usize {
  if (dense != 0) return dense + ((<usize>c * <usize>n) << 2);
  const rowBytes = <usize>width << 2;
  distanceBlock(points + <usize>c * rowBytes, norms + (<usize>c << 2), 1, points, norms, n, width, panel, n, metric);
  store<f32>(panel + (<usize>c << 2), 0); // as on the dense path, whatever the metric (zero rows in cosine)
  return panel;
}

/**
 * batchGains[t] = gain of candidates[t] for first <= t < last. On the tiled path the
 * candidates are packed TILE at a time and their distances to all points computed as one
 * panel, so the points are streamed once per TILE candidates rather than once per candidate.
 */
export function evaluateCandidates(first: i32, last: i32): void {
  evaluations += <f64>(last - first);
  if (dense != 0) {
    for (let t = first; t < last; t++) {
      const c = load<i32>(candidates + (<usize>t << 2));
      store<f64>(batchGains + (<usize>t << 3), denseGain(c));
    }
    return;
  }
  const rowBytes = <usize>width << 2;
  const nBytes = <usize>n << 2;
  for (let t0 = first; t0 < last; t0 += TILE) {
    const size = min(TILE, last - t0);
    for (let t = 0; t < size; t++) {
      const c = load<i32>(candidates + (<usize>(t0 + t) << 2));
      memory.copy(packed + <usize>t * rowBytes, points + <usize>c * rowBytes, rowBytes);
      store<f32>(packedNorms + (<usize>t << 2), load<f32>(norms + (<usize>c << 2)));
    }
    distanceBlock(packed, packedNorms, size, points, norms, n, width, panel, n, metric);
    for (let t = 0; t < size; t++) {
      const row = panel + <usize>t * nBytes;
      store<f32>(row + (<usize>load<i32>(candidates + (<usize>(t0 + t) << 2)) << 2), 0); // d(c, c) = 0, as on the dense path
      store<f64>(batchGains + (<usize>(t0 + t) << 3), gainOfColumn(row));
    }
  }
}
