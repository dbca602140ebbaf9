// The pieces the distance kernels share. Points are rows of `width` f32 values (width is a
// multiple of 4, zero-padded), with their squared norms precomputed. Distances come from the
// Gram form |a|^2 + |b|^2 - 2 a.b, which does 2 flops per coordinate instead of 3 and lets
// one row load serve several columns. The host centres the data first so the norms stay
// small and the cancellation in that form stays near float32 rounding. Here: the finishing
// of dot products into distances (with the exact recomputation of close pairs), the
// reductions, the 2x4 difference micro-kernel of the low-dimension paths and lane access.

import { fromSquared, METRIC_COSINE, METRIC_EUCLIDEAN } from './metric';

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
         (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// The Gram form loses relative precision when a distance is small against the norms (two
// equal rows give a few float32 roundings, which a square root then magnifies). Below this
// fraction of |a|^2 + |b|^2 the distance is recomputed from the difference a - b, which is
// exact for equal rows.
const EXACT_BELOW: f32 = 1.0 / 4096;

/** |a - b|^2 for rows stored as 16-byte chunks `stepA` / `stepB` bytes apart. */
export function exactSquared(a: usize, stepA: usize, b: usize, stepB: usize, chunks: i32): f32 {
  let s = f32x4.splat(0);
  for (let k = 0; k < chunks; k++) {
    const d = f32x4.sub(v128.load(a), v128.load(b));
    s = f32x4.add(s, f32x4.mul(d, d));
    a += stepA;
    b += stepB;
  }
  return hsum(s);
}

/**
 * Euclidean widths up to this many floats take the difference form (no norms, no
 * recomputation). Not cosine: a zero row is at distance 1 from every other row there, which
 * only the dot-product form gives (1 - a.b with a = 0).
 */
export const DIRECT_WIDTH: i32 = 16;

/** One distance from its dot product; a, b locate the rows for the exact recomputation. */
export function finish(
  dot: f32, normA: f32, normB: f32, metric: i32,
  a: usize, stepA: usize, b: usize, stepB: usize, chunks: i32,
): f32 {
  const squared = normA + normB - 2 * dot;
  if (squared < EXACT_BELOW * (normA + normB)) return fromSquared(exactSquared(a, stepA, b, stepB, chunks), metric);
  if (metric == METRIC_COSINE) { const d: f32 = 1 - dot; return d > 0 ? d : 0; }
  return fromSquared(squared > 0 ? squared : 0, metric);
}

/**
 * Four distances from row a to the columns at b, b + columnStep, ... (see finish()).
 * pmax is one instruction (max is several).
 */
// @ts-ignore: decorator
@inline export function finish4(
  dots: v128, normA: f32, normsB: v128, metric: i32,
  a: usize, stepA: usize, b: usize, stepB: usize, columnStep: usize, chunks: i32,
): v128 {
  const zero = f32x4.splat(0);
  const norms = f32x4.add(f32x4.splat(normA), normsB);
  const squared = f32x4.sub(norms, f32x4.add(dots, dots));
  let result = metric == METRIC_COSINE
    ? f32x4.pmax(zero, f32x4.sub(f32x4.splat(1), dots))
    : f32x4.pmax(zero, squared);
  if (metric == METRIC_EUCLIDEAN) result = f32x4.sqrt(result);
  const close = f32x4.lt(squared, f32x4.mul(f32x4.splat(EXACT_BELOW), norms));
  return v128.any_true(close) ? recomputeClose(result, close, metric, a, stepA, b, stepB, columnStep, chunks) : result;
}

/** The lanes of `result` flagged in `close`, recomputed exactly (out of line: it is rare). */
function recomputeClose(
  result: v128, close: v128, metric: i32,
  a: usize, stepA: usize, b: usize, stepB: usize, columnStep: usize, chunks: i32,
): v128 {
  if (i32x4.extract_lane(close, 0) != 0) result = f32x4.replace_lane(result, 0, fromSquared(exactSquared(a, stepA, b, stepB, chunks), metric));
  if (i32x4.extract_lane(close, 1) != 0) result = f32x4.replace_lane(result, 1, fromSquared(exactSquared(a, stepA, b + columnStep, stepB, chunks), metric));
  if (i32x4.extract_lane(close, 2) != 0) result = f32x4.replace_lane(result, 2, fromSquared(exactSquared(a, stepA, b + 2 * columnStep, stepB, chunks), metric));
  if (i32x4.extract_lane(close, 3) != 0) result = f32x4.replace_lane(result, 3, fromSquared(exactSquared(a, stepA, b + 3 * columnStep, stepB, chunks), metric));
  return result;
}

/** [sum(s0), sum(s1), sum(s2), sum(s3)]: a transposing horizontal add. */
// @ts-ignore: decorator
@inline export function reduce4(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  const x = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), v128.shuffle<f32>(s0, s1, 2, 6, 3, 7));
  const y = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 1, 5), v128.shuffle<f32>(s2, s3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(x, y, 0, 1, 4, 5), v128.shuffle<f32>(x, y, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline export function dot1(a: usize, b: usize, rowBytes: usize): f32 {
  let s = f32x4.splat(0);
  for (let k: usize = 0; k < rowBytes; k += 16) {
    s = f32x4.add(s, f32x4.mul(v128.load(a + k), v128.load(b + k)));
  }
  return hsum(s);
}

/** 32 bytes where squaredDifferences2x4 leaves its two vectors. */
export const TILE_SQUARES: usize = memory.data(32, 16);

/**
 * |a0 - b_c|^2 and |a1 - b_c|^2 for the four rows b_0..b_3 at b, rowBytes apart, in the
 * difference form: two f32x4 (row a0's, then a1's) at TILE_SQUARES. The 2x4 micro-kernel of
 * the low-dimension paths (distanceBlockDirect, assembly/assign.ts, assembly/outside-assignment.ts).
 */
// @ts-ignore: decorator
@inline export function squaredDifferences2x4(a0: usize, a1: usize, b: usize, rowBytes: usize): void {
  const b1 = b + rowBytes;
  const b2 = b1 + rowBytes;
  const b3 = b2 + rowBytes;
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
  for (let k: usize = 0; k < rowBytes; k += 16) {
    const x0 = v128.load(a0 + k);
    const x1 = v128.load(a1 + k);
    let y = v128.load(b + k);
    let e = f32x4.sub(x0, y); s00 = f32x4.add(s00, f32x4.mul(e, e));
    e = f32x4.sub(x1, y); s10 = f32x4.add(s10, f32x4.mul(e, e));
    y = v128.load(b1 + k);
    e = f32x4.sub(x0, y); s01 = f32x4.add(s01, f32x4.mul(e, e));
    e = f32x4.sub(x1, y); s11 = f32x4.add(s11, f32x4.mul(e, e));
    y = v128.load(b2 + k);
    e = f32x4.sub(x0, y); s02 = f32x4.add(s02, f32x4.mul(e, e));
    e = f32x4.sub(x1, y); s12 = f32x4.add(s12, f32x4.mul(e, e));
    y = v128.load(b3 + k);
    e = f32x4.sub(x0, y); s03 = f32x4.add(s03, f32x4.mul(e, e));
    e = f32x4.sub(x1, y); s13 = f32x4.add(s13, f32x4.mul(e, e));
  }
  v128.store(TILE_SQUARES, reduce4(s00, s01, s02, s03));
  v128.store(TILE_SQUARES, reduce4(s10, s11, s12, s13), 16);
}

// @ts-ignore: decorator
@inline export function extractLane(v: v128, lane: i32): f32 {
  if (lane == 0) return f32x4.extract_lane(v, 0);
  if (lane == 1) return f32x4.extract_lane(v, 1);
  if (lane == 2) return f32x4.extract_lane(v, 2);
  return f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline export function laneI32(v: v128, lane: i32): i32 {
  if (lane == 0) return i32x4.extract_lane(v, 0);
  if (lane == 1) return i32x4.extract_lane(v, 1);
  if (lane == 2) return i32x4.extract_lane(v, 2);
  return i32x4.extract_lane(v, 3);
}
