// The nearest of k chosen points for every point of a ground set: the weights and the cost
// of a selection made without the full distance matrix (the partitioned optimizer).
import { distanceBlock } from './distance';
import { fromSquared, METRIC_COSINE } from './metric';
import { DIRECT_WIDTH, exactSquared, extractLane, laneI32, squaredDifferences2x4, TILE_SQUARES } from './micro-kernels';

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
  if (width <= DIRECT_WIDTH && metric != METRIC_COSINE) { assignDirect(points, n, chosen, k, width, metric, nearestOut, distanceOut); return; }
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
        const d = extractLane(bestDistance, lane);
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

/**
 * assignNearest at low dimension: squared distances in the difference form, the running
 * minimum kept in registers (no panel), one square root per point.
 */
function assignDirect(points: usize, n: i32, chosen: usize, k: i32, width: i32, metric: i32, nearestOut: usize, distanceOut: usize): void {
  const rowBytes = <usize>width << 2;
  const chunks = width >> 2;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const a0 = points + <usize>i * rowBytes;
    const a1 = a0 + rowBytes;
    let best0 = f32x4.splat(Infinity), best1 = f32x4.splat(Infinity);
    let at0 = i32x4.splat(-1), at1 = i32x4.splat(-1);
    let position = i32x4(0, 1, 2, 3);
    let j = 0;
    for (; j + 4 <= k; j += 4) {
      squaredDifferences2x4(a0, a1, chosen + <usize>j * rowBytes, rowBytes);
      const q0 = v128.load(TILE_SQUARES);
      const q1 = v128.load(TILE_SQUARES, 16);
      // strict: each lane keeps its earliest minimum
      const nearer0 = f32x4.lt(q0, best0);
      best0 = v128.bitselect(q0, best0, nearer0);
      at0 = v128.bitselect(position, at0, nearer0);
      const nearer1 = f32x4.lt(q1, best1);
      best1 = v128.bitselect(q1, best1, nearer1);
      at1 = v128.bitselect(position, at1, nearer1);
      position = i32x4.add(position, i32x4.splat(4));
    }
    storeNearest(i, a0, best0, at0, j, chosen, k, rowBytes, chunks, metric, nearestOut, distanceOut);
    storeNearest(i + 1, a1, best1, at1, j, chosen, k, rowBytes, chunks, metric, nearestOut, distanceOut);
  }
  if (i < n) {
    const a = points + <usize>i * rowBytes;
    storeNearest(i, a, f32x4.splat(Infinity), i32x4.splat(-1), 0, chosen, k, rowBytes, chunks, metric, nearestOut, distanceOut);
  }
}

/** The lanes' minima reduced by (squared distance, position), then columns from..k-1 one by one. */
function storeNearest(
  row: i32, a: usize, best: v128, at: v128, from: i32, chosen: usize, k: i32, rowBytes: usize, chunks: i32, metric: i32,
  nearestOut: usize, distanceOut: usize,
): void {
  let position = -1;
  let squared: f32 = Infinity;
  for (let lane = 0; lane < 4; lane++) {
    const q = extractLane(best, lane);
    const p = laneI32(at, lane);
    if (p >= 0 && (position < 0 || q < squared || (q == squared && p < position))) { squared = q; position = p; }
  }
  for (let j = from; j < k; j++) {
    const q = exactSquared(a, 16, chosen + <usize>j * rowBytes, 16, chunks);
    if (position < 0 || q < squared) { squared = q; position = j; }
  }
  store<i32>(nearestOut + (<usize>row << 2), position);
  store<f32>(distanceOut + (<usize>row << 2), fromSquared(squared, metric));
}
