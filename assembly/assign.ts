// The nearest of k chosen points for every point of a ground set: the weights and the cost
// of a selection made without the full distance matrix (the partitioned optimizer).
import { distanceBlock } from './distance';

/**
 * nearestOut[i] = the position (0..k-1) of the chosen point nearest to point i (the earlier
 * position on ties) and distanceOut[i] = its distance, for the n points. Distances are
 * computed in panels of `panelRows` x k floats at `panel`.
 */
export function assignNearest(
  points: usize, norms: usize, n: i32,
  chosen: usize, chosenNorms: usize, k: i32,
  width: i32, metric: i32, panel: usize, panelRows: i32,
  nearestOut: usize, distanceOut: usize,
): void {
  const rowBytes = <usize>width << 2;
  const panelRowBytes = <usize>k << 2;
  for (let r0 = 0; r0 < n; r0 += panelRows) {
    const rows = min(panelRows, n - r0);
    distanceBlock(points + <usize>r0 * rowBytes, norms + (<usize>r0 << 2), rows, chosen, chosenNorms, k, width, panel, k, metric);
    for (let t = 0; t < rows; t++) {
      const row = panel + <usize>t * panelRowBytes;
      // four lanes keep their own earliest minimum; the lanes are then compared by (distance, position)
      let bestDistance = f32x4.splat(Infinity);
      let bestAt = i32x4.splat(-1);
      let at = i32x4(0, 1, 2, 3);
      let j = 0;
      for (; j + 4 <= k; j += 4) {
        const d = v128.load(row + (<usize>j << 2));
        const nearer = f32x4.lt(d, bestDistance);
        bestDistance = v128.bitselect(d, bestDistance, nearer);
        bestAt = v128.bitselect(at, bestAt, nearer);
        at = i32x4.add(at, i32x4.splat(4));
      }
      let best = -1;
      let distance: f32 = Infinity;
      for (let lane = 0; lane < 4; lane++) {
        const d = laneF32(bestDistance, lane);
        const position = laneI32(bestAt, lane);
        if (position >= 0 && (d < distance || (d == distance && position < best))) { distance = d; best = position; }
      }
      for (; j < k; j++) {
        const d = load<f32>(row + (<usize>j << 2));
        if (d < distance || best < 0) { distance = d; best = j; }
      }
      store<i32>(nearestOut + (<usize>(r0 + t) << 2), best);
      store<f32>(distanceOut + (<usize>(r0 + t) << 2), distance);
    }
  }
}

// @ts-ignore: decorator
@inline function laneF32(v: v128, lane: i32): f32 {
  if (lane == 0) return f32x4.extract_lane(v, 0);
  if (lane == 1) return f32x4.extract_lane(v, 1);
  if (lane == 2) return f32x4.extract_lane(v, 2);
  return f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline function laneI32(v: v128, lane: i32): i32 {
  if (lane == 0) return i32x4.extract_lane(v, 0);
  if (lane == 1) return i32x4.extract_lane(v, 1);
  if (lane == 2) return i32x4.extract_lane(v, 2);
  return i32x4.extract_lane(v, 3);
}
