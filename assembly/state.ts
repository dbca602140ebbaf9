// Facility-location greedy over one ground set of n points.
//
// State (docs/algorithms.md, "Facility location"): minDist[i] = distance from i to its
// nearest selected point (C before any pick, which is max over the empty set of the
// similarity C - d), nearest[i] = that point. The gain of a candidate c is
// sum_i max(0, minDist[i] - d(i, c)), the marginal gain of the similarity form. Distances
// come either from a dense symmetric matrix (row c = column c) or, when that does not fit,
// are computed on the fly from the points in panels of TILE candidates. All buffers are
// owned by the host's arena.
//
// This file holds that state, shared by the other greedy files (gains.ts, accept.ts,
// candidates.ts, lazy-heap.ts, compaction.ts, outside-assignment.ts): configure() binds it
// to the host's buffers and reset() empties the selection.

import { TILE } from './dense';

export let n: i32 = 0;
export let width: i32 = 0;
export let metric: i32 = 0;
export let points: usize = 0;    // n x width f32
export let norms: usize = 0;     // n f32
export let dense: usize = 0;     // n x n f32, or 0 for the tiled path
export let minDist: usize = 0;   // n f32
export let nearest: usize = 0;   // n i32
export let panel: usize = 0;     // TILE x n f32 scratch (tiled path)
export let packed: usize = 0;    // TILE x width f32 scratch (tiled path)
export let packedNorms: usize = 0; // TILE f32
export let candidates: usize = 0;  // n i32 scratch: the candidates of one batch
export let batchGains: usize = 0;  // n f64 scratch
// Lazy greedy's heap: n nodes of 16 bytes, so that a comparison reads one cache line:
// the stale upper bound (f64), the candidate (i32) and the round the bound was computed in (i32).
export let heap: usize = 0;
export let heapSize: i32 = 0;
export let remaining: usize = 0; // n i32: unselected points (order changes as they are removed)
export let position: usize = 0;  // n i32: index of each point in `remaining`
export let remainingCount: i32 = 0;
export let round: i32 = 0;
export let pickedGain: f64 = 0;
export let evaluations: f64 = 0;
export let rngState: u32 = 0;
export let weights: usize = 0;   // n f32 point weights (see setWeights), or 0 when every point weighs 1
// The sparse rows (see compaction.ts): for candidate c, entries rowStart[c]..rowStart[c+1] of
// (entryIndex, entryDistance) list the points i with d(i, c) < minDist[i] at compaction.
export let sparse: bool = false;
export let rowStart: usize = 0;     // n + 1 i32
export let entryIndex: usize = 0;   // capacity i32
export let entryDistance: usize = 0; // capacity f32

/** Bind the buffers of one problem. `denseMatrix` is 0 on the tiled path. */
export function configure(
  count: i32, widthFloats: i32, distanceMetric: i32, pointsPtr: usize, normsPtr: usize,
  denseMatrix: usize, scratch: usize,
): void {
  n = count; width = widthFloats; metric = distanceMetric;
  points = pointsPtr; norms = normsPtr; dense = denseMatrix;
  weights = 0;
  // carve the scratch area (its size is scratchBytes(count, widthFloats)) into the state arrays
  let p = scratch;
  const n4 = <usize>n << 2;
  minDist = p; p += align(n4);
  nearest = p; p += align(n4);
  candidates = p; p += align(n4);
  remaining = p; p += align(n4);
  position = p; p += align(n4);
  batchGains = p; p += align(n4 << 1);
  heap = p; p += (<usize>n + 1) << 4; // one spare node: siftDown reads a right child past the end
  packedNorms = p; p += align(<usize>TILE << 2);
  packed = p; p += align(<usize>TILE * (<usize>width << 2));
  panel = p;
}

// @ts-ignore: decorator
@inline function align(bytes: usize): usize { return (bytes + 15) & ~15; }

/** Bytes of scratch that configure() carves up. */
export function scratchBytes(count: i32, widthFloats: i32, tiled: bool): usize {
  const n4 = align(<usize>count << 2);
  let total = n4 * 5 + align(<usize>count << 3) + ((<usize>count + 1) << 4) + align(<usize>TILE << 2) + align(<usize>TILE * (<usize>widthFloats << 2));
  if (tiled) total += <usize>TILE * (<usize>count << 2);
  return total;
}

/**
 * Weigh the points (call after configure): gains become sum_i w_i max(0, minDist[i] - d(i, c)),
 * the objective of a merge round whose points stand for the clusters they won earlier.
 */
export function setWeights(pointWeights: usize): void {
  weights = pointWeights;
}

/** Reset to the empty selection. `emptyDistance` is C, the bound on every distance. */
export function reset(emptyDistance: f32, seed: u32): void {
  for (let i = 0; i < n; i++) {
    store<f32>(minDist + (<usize>i << 2), emptyDistance);
    store<i32>(nearest + (<usize>i << 2), -1);
    store<i32>(remaining + (<usize>i << 2), i);
    store<i32>(position + (<usize>i << 2), i);
  }
  remainingCount = n;
  sparse = false;
  heapSize = 0;
  round = 0;
  evaluations = 0;
  rngState = seed;
}

/** The gain of the last pick, and how many gain evaluations ran so far. */
export function lastGain(): f64 { return pickedGain; }
export function evaluationCount(): f64 { return evaluations; }

/** Buffers the host reads back after the picks. */
export function minDistPtr(): usize { return minDist; }
export function nearestPtr(): usize { return nearest; }
