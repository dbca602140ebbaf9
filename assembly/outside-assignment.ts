// The outside assignment of the partitioned optimizer's merge round: the nearest pick of the
// points outside the ground set, through their owners in it and the triangle inequality
// (docs/algorithms.md, "The partitioned optimizer").

import { fromSquared, METRIC_EUCLIDEAN } from './metric';
import { DIRECT_WIDTH, extractLane, laneI32, squaredDifferences2x4, TILE_SQUARES } from './micro-kernels';
import { dense, metric, minDist, n, points, width } from './state';

/**
 * The nearest pick of `count` points outside the ground set, after a greedy (the partitioned
 * optimizer's merge round; not cosine, whose distance is not a metric). Each outside point u
 * comes with an owner o in the ground set and r = d(u, o), sorted by owner. Since the nearest
 * pick of o is at minDist[o], the triangle inequality bounds u's nearest pick distance by
 * r + minDist[o] and excludes every pick q with d(o, q) > 2r + minDist[o]: only the picks within
 * that radius of o (a few percent, found once per owner) need a distance to u. `picks` lists
 * the k picks (positions in the ground set) in greedy order, their rank; ties go to the lower
 * rank, as in assignNearest. `found` is scratch for 2 (k + 4) rows and 2 (k + 4) floats.
 * Writes the rank of each point's nearest pick and the distance to it.
 */
export function assignThroughOwners(
  outside: usize, count: i32, owners: usize, radii: usize, picks: usize, k: i32, found: usize,
  nearestOut: usize, distanceOut: usize,
): void {
  const rowBytes = <usize>width << 2;
  // the pick rows by rank, then the picks near one owner: rows copied contiguously (so four
  // at a time go through the 2x4 micro-kernel), squared distances to the owner and ranks.
  // At low dimension the distances to the owner are computed from the rows rather than read
  // from the dense block, whose rows are scattered in a block larger than the cache (reading
  // them took twice as long at d = 10); at higher dimension, and only there, reading is cheaper.
  const fromRows = dense == 0 || width <= DIRECT_WIDTH;
  const padded = (k + 3) & ~3;
  const pickRows = found;
  const candidateRows = pickRows + <usize>padded * rowBytes;
  const candidateSquared = candidateRows + <usize>padded * rowBytes;
  const candidateRank = candidateSquared + (<usize>padded << 2);
  for (let j = 0; j < padded; j++) {
    const to = pickRows + <usize>j * rowBytes;
    if (j < k) copyRow(to, points + <usize>load<i32>(picks + (<usize>j << 2)) * rowBytes, rowBytes);
    else zeroRow(to, rowBytes);
  }
  let first = 0;
  while (first < count) {
    const owner = load<i32>(owners + (<usize>first << 2));
    const ownerDistance = load<f32>(minDist + (<usize>owner << 2));
    let end = first;
    let widest: f32 = 0;
    while (end < count && load<i32>(owners + (<usize>end << 2)) == owner) {
      widest = max(widest, exclusionSquared(load<f32>(radii + (<usize>end << 2)), ownerDistance));
      end++;
    }
    // the picks within the widest radius of the owner
    let candidates = 0;
    if (fromRows) {
      const ownerRow = points + <usize>owner * rowBytes;
      const limit = f32x4.splat(widest);
      for (let j = 0; j < padded; j += 4) {
        squaredDifferences2x4(ownerRow, ownerRow, pickRows + <usize>j * rowBytes, rowBytes);
        const squares = v128.load(TILE_SQUARES);
        let near = i32x4.bitmask(f32x4.le(squares, limit));
        if (j + 4 > k) near &= (1 << (k - j)) - 1; // the padding rows
        while (near != 0) {
          const lane = ctz(near);
          near &= near - 1;
          copyRow(candidateRows + <usize>candidates * rowBytes, pickRows + <usize>(j + lane) * rowBytes, rowBytes);
          store<f32>(candidateSquared + (<usize>candidates << 2), extractLane(squares, lane));
          store<i32>(candidateRank + (<usize>candidates << 2), j + lane);
          candidates++;
        }
      }
    } else {
      const row = dense + ((<usize>owner * <usize>n) << 2);
      for (let j = 0; j < k; j++) {
        const distance = load<f32>(row + (<usize>load<i32>(picks + (<usize>j << 2)) << 2));
        const squared = metric == METRIC_EUCLIDEAN ? distance * distance : distance;
        if (squared > widest) continue;
        copyRow(candidateRows + <usize>candidates * rowBytes, pickRows + <usize>j * rowBytes, rowBytes);
        store<f32>(candidateSquared + (<usize>candidates << 2), squared);
        store<i32>(candidateRank + (<usize>candidates << 2), j);
        candidates++;
      }
    }
    // up to a multiple of four with entries no radius admits (NaN fails every comparison)
    const groups = (candidates + 3) & ~3;
    for (let c = candidates; c < groups; c++) {
      zeroRow(candidateRows + <usize>c * rowBytes, rowBytes);
      store<f32>(candidateSquared + (<usize>c << 2), NaN);
      store<i32>(candidateRank + (<usize>c << 2), i32.MAX_VALUE);
    }
    // two points at a time (the last one twice when the group is odd)
    for (let u = first; u < end; u += 2) {
      const second = u + 1 < end ? u + 1 : u;
      const limit0 = f32x4.splat(exclusionSquared(load<f32>(radii + (<usize>u << 2)), ownerDistance));
      const limit1 = f32x4.splat(exclusionSquared(load<f32>(radii + (<usize>second << 2)), ownerDistance));
      // each lane keeps its best (squared distance, rank); ties go to the lower rank
      let best0 = f32x4.splat(Infinity), best1 = f32x4.splat(Infinity);
      let rank0 = i32x4.splat(i32.MAX_VALUE), rank1 = i32x4.splat(i32.MAX_VALUE);
      for (let c = 0; c < groups; c += 4) {
        squaredDifferences2x4(outside + <usize>u * rowBytes, outside + <usize>second * rowBytes, candidateRows + <usize>c * rowBytes, rowBytes);
        const squares0 = v128.load(TILE_SQUARES);
        const squares1 = v128.load(TILE_SQUARES, 16);
        const toOwner = v128.load(candidateSquared + (<usize>c << 2));
        const ranks = v128.load(candidateRank + (<usize>c << 2));
        const better0 = v128.and(f32x4.le(toOwner, limit0),
          v128.or(f32x4.lt(squares0, best0), v128.and(f32x4.eq(squares0, best0), i32x4.lt_s(ranks, rank0))));
        best0 = v128.bitselect(squares0, best0, better0);
        rank0 = v128.bitselect(ranks, rank0, better0);
        const better1 = v128.and(f32x4.le(toOwner, limit1),
          v128.or(f32x4.lt(squares1, best1), v128.and(f32x4.eq(squares1, best1), i32x4.lt_s(ranks, rank1))));
        best1 = v128.bitselect(squares1, best1, better1);
        rank1 = v128.bitselect(ranks, rank1, better1);
      }
      storeBestLane(u, best0, rank0, nearestOut, distanceOut);
      if (second != u) storeBestLane(second, best1, rank1, nearestOut, distanceOut);
    }
    first = end;
  }
}

/** A row of 16-byte chunks (memory.copy is a call into the engine: too much for 48 bytes). */
// @ts-ignore: decorator
@inline function copyRow(to: usize, from: usize, rowBytes: usize): void {
  for (let b: usize = 0; b < rowBytes; b += 16) v128.store(to + b, v128.load(from + b));
}

// @ts-ignore: decorator
@inline function zeroRow(to: usize, rowBytes: usize): void {
  for (let b: usize = 0; b < rowBytes; b += 16) v128.store(to + b, i32x4.splat(0));
}

/** The best of four lanes' (squared distance, rank), lower rank on ties; rank -1 when no lane has one. */
function storeBestLane(u: i32, best: v128, ranks: v128, nearestOut: usize, distanceOut: usize): void {
  let squared: f32 = Infinity;
  let rank = i32.MAX_VALUE;
  for (let lane = 0; lane < 4; lane++) {
    const q = extractLane(best, lane);
    const r = laneI32(ranks, lane);
    if (q < squared || (q == squared && r < rank)) { squared = q; rank = r; }
  }
  store<i32>(nearestOut + (<usize>u << 2), rank == i32.MAX_VALUE ? -1 : rank);
  store<f32>(distanceOut + (<usize>u << 2), fromSquared(squared, metric));
}

/**
 * (2r + m)^2, the square of the exclusion radius, for r and m in the metric's units (squared
 * already for sqeuclidean), widened by 1/512: float32 distances satisfy the triangle
 * inequality only up to rounding.
 */
// @ts-ignore: decorator
@inline function exclusionSquared(radius: f32, ownerDistance: f32): f32 {
  const root: f32 = metric == METRIC_EUCLIDEAN
    ? <f32>2 * radius + ownerDistance
    : <f32>2 * sqrt<f32>(radius) + sqrt<f32>(ownerDistance);
  return root * root * <f32>(1 + 1.0 / 512);
}
