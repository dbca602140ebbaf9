// Facility-location greedy over one ground set of n points.
//
// State (ALGORITHMS.md section 3): minDist[i] = distance from i to its nearest selected
// point (C before any pick, which is max over the empty set of the similarity C - d),
// nearest[i] = that point. The gain of a candidate c is sum_i max(0, minDist[i] - d(i, c)),
// the marginal gain of the similarity form. Distances come either from a dense symmetric
// matrix (row c = column c) or, when that does not fit, are computed on the fly from the
// points in panels of TILE candidates. All buffers are owned by the host's arena.

import { TILE } from './dense';
import { distanceBlock } from './distance';
import { fromSquared, METRIC_EUCLIDEAN } from './metric';
import { DIRECT_WIDTH, extractLane, laneI32, squaredDifferences2x4, TILE_SQUARES } from './micro-kernels';

let n: i32 = 0;
let width: i32 = 0;
let metric: i32 = 0;
let points: usize = 0;    // n x width f32
let norms: usize = 0;     // n f32
let dense: usize = 0;     // n x n f32, or 0 for the tiled path
let minDist: usize = 0;   // n f32
let nearest: usize = 0;   // n i32
let panel: usize = 0;     // TILE x n f32 scratch (tiled path)
let packed: usize = 0;    // TILE x width f32 scratch (tiled path)
let packedNorms: usize = 0; // TILE f32
let candidates: usize = 0;  // n i32 scratch: the candidates of one batch
let batchGains: usize = 0;  // n f64 scratch
// Lazy greedy's heap: n nodes of 16 bytes, so that a comparison reads one cache line:
// the stale upper bound (f64), the candidate (i32) and the round the bound was computed in (i32).
let heap: usize = 0;
let heapSize: i32 = 0;
let remaining: usize = 0; // n i32: unselected points (order changes as they are removed)
let position: usize = 0;  // n i32: index of each point in `remaining`
let remainingCount: i32 = 0;
let round: i32 = 0;
let pickedGain: f64 = 0;
let evaluations: f64 = 0;
let rngState: u32 = 0;
let weights: usize = 0;   // n f32 point weights (see setWeights), or 0 when every point weighs 1
// The sparse rows (see compactRows): for candidate c, entries rowStart[c]..rowStart[c+1] of
// (entryIndex, entryDistance) list the points i with d(i, c) < minDist[i] at compaction.
let sparse: bool = false;
let rowStart: usize = 0;     // n + 1 i32
let entryIndex: usize = 0;   // capacity i32
let entryDistance: usize = 0; // capacity f32

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

/** max(0, minDist - column) for four points. pmax is one instruction; max's NaN rules cost several. */
// @ts-ignore: decorator
@inline function excess4(minDistAt: usize, columnAt: usize): v128 {
  return f32x4.pmax(f32x4.splat(0), f32x4.sub(v128.load(minDistAt), v128.load(columnAt)));
}

/** sum_i max(0, minDist[i] - column[i]), in f32 lanes flushed to f64 every 256 values. */
function gainOfColumn(column: usize): f64 {
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
function sparseGain(c: i32): f64 {
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
function denseGain(c: i32): f64 {
  return sparse ? sparseGain(c) : gainOfColumn(columnOf(c));
}

/**
 * Keep, for every candidate c, only the points i with d(i, c) < minDist[i]: minDist only
 * shrinks, so no other point can ever add to c's gain or move to c. Late in the greedy this
 * is a few per cent of the matrix, so a gain reads a short list instead of a 4n-byte row
 * (the dense greedy is bound by memory bandwidth). Reads the dense matrix the first time,
 * the previous lists after that (in place). Returns the number of entries kept, or -1
 * (nothing changed) when they would not fit in `capacity`.
 */
export function compactRows(starts: usize, indices: usize, distances: usize, capacity: i32): i32 {
  let kept = 0;
  if (!sparse) {
    const whole = n & ~3;
    for (let c = 0; c < n; c++) {
      store<i32>(starts + (<usize>c << 2), kept);
      const row = dense + ((<usize>c * <usize>n) << 2);
      let i = 0;
      for (; i < whole; i += 4) {
        const offset = <usize>i << 2;
        const d = v128.load(row + offset);
        const nearer = f32x4.lt(d, v128.load(minDist + offset));
        if (!v128.any_true(nearer)) continue;
        if (kept + 4 > capacity) return -1;
        // branch-free: write every lane, advance past the kept ones
        for (let lane = 0; lane < 4; lane++) {
          const at = offset + (<usize>lane << 2);
          const dl = load<f32>(row + at);
          store<i32>(indices + (<usize>kept << 2), i + lane);
          store<f32>(distances + (<usize>kept << 2), dl);
          kept += <i32>(dl < load<f32>(minDist + at));
        }
      }
      for (; i < n; i++) {
        const dl = load<f32>(row + (<usize>i << 2));
        if (dl < load<f32>(minDist + (<usize>i << 2))) {
          if (kept == capacity) return -1;
          store<i32>(indices + (<usize>kept << 2), i);
          store<f32>(distances + (<usize>kept << 2), dl);
          kept++;
        }
      }
    }
    store<i32>(starts + (<usize>n << 2), kept);
    rowStart = starts; entryIndex = indices; entryDistance = distances;
    sparse = true;
    return kept;
  }
  // filter the current lists in place: entries only move towards the front
  let from = load<i32>(rowStart);
  for (let c = 0; c < n; c++) {
    const to = load<i32>(rowStart + (<usize>(c + 1) << 2));
    store<i32>(rowStart + (<usize>c << 2), kept);
    for (let e = from; e < to; e++) {
      const i = load<i32>(entryIndex + (<usize>e << 2));
      const d = load<f32>(entryDistance + (<usize>e << 2));
      if (d < load<f32>(minDist + (<usize>i << 2))) {
        store<i32>(entryIndex + (<usize>kept << 2), i);
        store<f32>(entryDistance + (<usize>kept << 2), d);
        kept++;
      }
    }
    from = to;
  }
  store<i32>(rowStart + (<usize>n << 2), kept);
  return kept;
}

/**
 * After a compaction: every bound in the lazy heap becomes the candidate's current gain under
 * the sparse sums (a stale bound summed in another order could sit an ulp below it), marked
 * fresh for this round.
 */
export function lazyRefresh(): void {
  for (let slot = 0; slot < heapSize; slot++) {
    const node = heap + (<usize>slot << 4);
    store<f64>(node, sparseGain(load<i32>(node, 8)));
    store<i32>(node, round, 12);
  }
  evaluations += <f64>heapSize;
  for (let at = (heapSize >> 1) - 1; at >= 0; at--) siftDown(at);
}

/** Distances from point c to every point: a matrix row on the dense path, else computed into the panel. */
function columnOf(c: i32): usize {
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

/** Add c to the selection: lower minDist where c is nearer, and c owns itself. */
function accept(c: i32, gain: f64): i32 {
  if (sparse) acceptSparse(c); else acceptColumn(c);
  store<f32>(minDist + (<usize>c << 2), 0);
  store<i32>(nearest + (<usize>c << 2), c);
  // swap-remove c from the unselected list
  const at = load<i32>(position + (<usize>c << 2));
  const last = load<i32>(remaining + (<usize>(remainingCount - 1) << 2));
  store<i32>(remaining + (<usize>at << 2), last);
  store<i32>(position + (<usize>last << 2), at);
  remainingCount--;
  round++;
  pickedGain = gain;
  return c;
}

/** After a compaction every point has an owner, and only the listed points can move to c. */
function acceptSparse(c: i32): void {
  const end = load<i32>(rowStart + (<usize>(c + 1) << 2));
  for (let e = load<i32>(rowStart + (<usize>c << 2)); e < end; e++) {
    const i = load<i32>(entryIndex + (<usize>e << 2));
    const d = load<f32>(entryDistance + (<usize>e << 2));
    if (d < load<f32>(minDist + (<usize>i << 2))) {
      store<f32>(minDist + (<usize>i << 2), d);
      store<i32>(nearest + (<usize>i << 2), c);
    }
  }
}

function acceptColumn(c: i32): void {
  const column = columnOf(c);
  const whole = n & ~3;
  const label = i32x4.splat(c);
  const unassigned = i32x4.splat(-1);
  let i = 0;
  for (; i < whole; i += 4) {
    const offset = <usize>i << 2;
    const d = v128.load(column + offset);
    const current = v128.load(minDist + offset);
    const owner = v128.load(nearest + offset);
    // strict: on a tie the earlier pick keeps the point; unassigned points are always taken
    const nearer = v128.or(f32x4.lt(d, current), i32x4.eq(owner, unassigned));
    v128.store(minDist + offset, v128.bitselect(d, current, nearer));
    v128.store(nearest + offset, v128.bitselect(label, owner, nearer));
  }
  for (; i < n; i++) {
    const offset = <usize>i << 2;
    const d = load<f32>(column + offset);
    if (d < load<f32>(minDist + offset) || load<i32>(nearest + offset) < 0) {
      store<f32>(minDist + offset, d);
      store<i32>(nearest + offset, c);
    }
  }
}

// @ts-ignore: decorator
@inline function better(gainA: f64, indexA: i32, gainB: f64, indexB: i32): bool {
  return gainA > gainB || (gainA == gainB && indexA < indexB);
}

/** The best of the current batch: highest gain, lowest index on ties. */
function bestOfBatch(count: i32): i32 {
  let best = -1;
  let bestGain: f64 = -Infinity;
  for (let t = 0; t < count; t++) {
    const c = load<i32>(candidates + (<usize>t << 2));
    const g = load<f64>(batchGains + (<usize>t << 3));
    if (best < 0 || better(g, c, bestGain, best)) { best = c; bestGain = g; }
  }
  pickedGain = bestGain;
  return best;
}

// Naive and stochastic greedy run one pick in three steps, so that the host can evaluate
// the candidates in slices and stay responsive: draw the candidates, evaluate them
// (evaluateCandidates), accept the best (acceptBest).

/** Naive greedy's candidates: every unselected point. Returns how many (0 when none is left). */
export function naiveCandidates(): i32 {
  memory.copy(candidates, remaining, <usize>remainingCount << 2);
  return remainingCount;
}

/** Add the best evaluated candidate of this round to the selection and return it. */
export function acceptBest(count: i32): i32 {
  if (count <= 0) return -1;
  const best = bestOfBatch(count);
  return accept(best, pickedGain);
}

// ---- lazy greedy (Minoux): a max-heap of stale gains keyed by (gain desc, index asc) ----

/**
 * Move the node at `start` down to its place (a hole moves down and the node is written once).
 * Order: higher gain first, lower index on ties. Which child is larger is a coin flip for the
 * branch predictor, so the child's slot is computed from the comparison, without a branch
 * (lazy picks 7 to 12 % faster, measured on 512- and 1,800-point ground sets).
 */
function siftDown(start: i32): void {
  const moving = v128.load(heap + (<usize>start << 4));
  const gain = f64x2.extract_lane(moving, 0);
  const index = i32x4.extract_lane(moving, 2);
  let at = start;
  while (true) {
    const left = 2 * at + 1;
    if (left >= heapSize) break;
    const leftNode = heap + (<usize>left << 4);
    // the right child's slot is inside the heap's buffer even when it is past heapSize
    const takeRight = <i32>(left + 1 < heapSize) & <i32>betterBits(load<f64>(leftNode, 16), load<i32>(leftNode, 24), load<f64>(leftNode), load<i32>(leftNode, 8));
    const child = left + takeRight;
    const childNode = heap + (<usize>child << 4);
    if (!betterBits(load<f64>(childNode), load<i32>(childNode, 8), gain, index)) break;
    v128.store(heap + (<usize>at << 4), v128.load(childNode));
    at = child;
  }
  v128.store(heap + (<usize>at << 4), moving);
}

/** better() without short-circuit branches. */
// @ts-ignore: decorator
@inline function betterBits(gainA: f64, indexA: i32, gainB: f64, indexB: i32): bool {
  return <bool>(<i32>(gainA > gainB) | (<i32>(gainA == gainB) & <i32>(indexA < indexB)));
}

/**
 * Singleton gains of points [first, last) as the lazy heap's initial bounds. The host calls
 * this in slices (it is the one O(n^2) pass), then lazyHeapify().
 */
export function lazyInitRange(first: i32, last: i32): void {
  const count = last - first;
  for (let t = 0; t < count; t++) store<i32>(candidates + (<usize>t << 2), first + t);
  evaluateCandidates(0, count);
  for (let t = 0; t < count; t++) {
    const node = heap + (<usize>(first + t) << 4);
    store<f64>(node, load<f64>(batchGains + (<usize>t << 3)));
    store<i32>(node, first + t, 8);
    store<i32>(node, 0, 12);
  }
}

export function lazyHeapify(): void {
  heapSize = n;
  for (let at = (heapSize >> 1) - 1; at >= 0; at--) siftDown(at);
}

/**
 * Lazy greedy: re-evaluate the top of the heap until a bound computed in this round is on
 * top; gains only shrink, so it is the true best. Each entry is evaluated at most once per
 * round, so a round ends after at most n evaluations whatever the values. Returns the pick,
 * or -2 after `maxEvaluations` evaluations without one (call again to go on), -1 when empty.
 */
export function lazyPick(maxEvaluations: i32): i32 {
  if (heapSize == 0) return -1;
  let done = 0;
  while (true) {
    const c = load<i32>(heap, 8);
    if (load<i32>(heap, 12) == round) {
      const g = load<f64>(heap);
      heapSize--;
      if (heapSize > 0) { v128.store(heap, v128.load(heap + (<usize>heapSize << 4))); siftDown(0); }
      return accept(c, g);
    }
    if (done++ == maxEvaluations) return -2;
    evaluations += 1;
    store<f64>(heap, dense != 0 ? denseGain(c) : gainOfColumn(columnOf(c)));
    store<i32>(heap, round, 12);
    siftDown(0);
  }
}

// ---- stochastic greedy (Mirzasoleiman et al. 2015) ----

/** mulberry32: a 32-bit PRNG that the TypeScript reference reproduces exactly. */
function nextRandom(): u32 {
  rngState += 0x6D2B79F5;
  let t = rngState;
  t = (t ^ (t >>> 15)) * (t | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  return t ^ (t >>> 14);
}

/**
 * Stochastic greedy's candidates: a uniform sample (without replacement) of `sampleSize`
 * unselected points, drawn by a partial Fisher-Yates shuffle of the unselected list.
 */
export function stochasticCandidates(sampleSize: i32): i32 {
  const size = min(sampleSize, remainingCount);
  for (let t = 0; t < size; t++) {
    const r = t + <i32>(nextRandom() % <u32>(remainingCount - t));
    const a = load<i32>(remaining + (<usize>t << 2));
    const b = load<i32>(remaining + (<usize>r << 2));
    store<i32>(remaining + (<usize>t << 2), b);
    store<i32>(remaining + (<usize>r << 2), a);
    store<i32>(position + (<usize>b << 2), t);
    store<i32>(position + (<usize>a << 2), r);
  }
  memory.copy(candidates, remaining, <usize>size << 2);
  return size;
}

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

/** The gain of the last pick, and how many gain evaluations ran so far. */
export function lastGain(): f64 { return pickedGain; }
export function evaluationCount(): f64 { return evaluations; }

/** Buffers the host reads back after the picks. */
export function minDistPtr(): usize { return minDist; }
export function nearestPtr(): usize { return nearest; }
