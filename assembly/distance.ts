// Distance kernels. Points are rows of `width` f32 values (width is a multiple of 4,
// zero-padded), with their squared norms precomputed. Distances come from the Gram form
// |a|^2 + |b|^2 - 2 a.b, which does 2 flops per coordinate instead of 3 and lets one
// row load serve several columns. The host centres the data first so the norms stay
// small and the cancellation in that form stays near float32 rounding.

import { METRIC_COSINE, METRIC_EUCLIDEAN } from './metric';

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

// @ts-ignore: decorator
@inline export function fromSquared(squared: f32, metric: i32): f32 {
  // unit rows: |a - b|^2 = 2 - 2 a.b = 2 (cosine distance)
  if (metric == METRIC_COSINE) return squared * 0.5;
  return metric == METRIC_EUCLIDEAN ? sqrt<f32>(squared) : squared;
}

/**
 * Euclidean widths up to this many floats take the difference form (no norms, no
 * recomputation). Not cosine: a zero row is at distance 1 from every other row there, which
 * only the dot-product form gives (1 - a.b with a = 0).
 */
export const DIRECT_WIDTH: i32 = 16;

// @ts-ignore: decorator
@inline function fromSquared4(squared: v128, metric: i32): v128 {
  return metric == METRIC_EUCLIDEAN ? f32x4.sqrt(squared) : squared;
}

/** One distance from its dot product; a, b locate the rows for the exact recomputation. */
function finish(
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
@inline function finish4(
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
@inline function dot1(a: usize, b: usize, rowBytes: usize): f32 {
  let s = f32x4.splat(0);
  for (let k: usize = 0; k < rowBytes; k += 16) {
    s = f32x4.add(s, f32x4.mul(v128.load(a + k), v128.load(b + k)));
  }
  return hsum(s);
}

/**
 * out[i * ld + j] = d(a_i, b_j) for i < rows, j < cols, from row-major points.
 * The 2x4 micro-kernel keeps 8 accumulators in registers: each row chunk is used four
 * times and each column chunk twice; its four sums per row leave as one vector store.
 */
export function distanceBlock(
  a: usize, normsA: usize, rows: i32,
  b: usize, normsB: usize, cols: i32,
  width: i32, out: usize, ld: i32, metric: i32,
): void {
  if (width <= DIRECT_WIDTH && metric != METRIC_COSINE) { distanceBlockDirect(a, rows, b, cols, width, out, ld, metric); return; }
  const rowBytes = <usize>width << 2;
  const ldBytes = <usize>ld << 2;
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const a0 = a + <usize>i * rowBytes;
    const a1 = a0 + rowBytes;
    const na0 = load<f32>(normsA + (<usize>i << 2));
    const na1 = load<f32>(normsA + (<usize>i << 2), 4);
    const o0 = out + <usize>i * ldBytes;
    const o1 = o0 + ldBytes;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const b0 = b + <usize>j * rowBytes;
      const b1 = b0 + rowBytes;
      const b2 = b1 + rowBytes;
      const b3 = b2 + rowBytes;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let k: usize = 0; k < rowBytes; k += 16) {
        const x0 = v128.load(a0 + k);
        const x1 = v128.load(a1 + k);
        let y = v128.load(b0 + k);
        s00 = f32x4.add(s00, f32x4.mul(x0, y));
        s10 = f32x4.add(s10, f32x4.mul(x1, y));
        y = v128.load(b1 + k);
        s01 = f32x4.add(s01, f32x4.mul(x0, y));
        s11 = f32x4.add(s11, f32x4.mul(x1, y));
        y = v128.load(b2 + k);
        s02 = f32x4.add(s02, f32x4.mul(x0, y));
        s12 = f32x4.add(s12, f32x4.mul(x1, y));
        y = v128.load(b3 + k);
        s03 = f32x4.add(s03, f32x4.mul(x0, y));
        s13 = f32x4.add(s13, f32x4.mul(x1, y));
      }
      const nb = v128.load(normsB + (<usize>j << 2));
      const r0 = finish4(reduce4(s00, s01, s02, s03), na0, nb, metric, a0, 16, b0, 16, rowBytes, width >> 2);
      const r1 = finish4(reduce4(s10, s11, s12, s13), na1, nb, metric, a1, 16, b0, 16, rowBytes, width >> 2);
      v128.store(o0 + (<usize>j << 2), r0);
      v128.store(o1 + (<usize>j << 2), r1);
    }
    for (; j < cols; j++) {
      const bj = b + <usize>j * rowBytes;
      const nbj = load<f32>(normsB + (<usize>j << 2));
      const d0 = finish(dot1(a0, bj, rowBytes), na0, nbj, metric, a0, 16, bj, 16, width >> 2);
      const d1 = finish(dot1(a1, bj, rowBytes), na1, nbj, metric, a1, 16, bj, 16, width >> 2);
      store<f32>(o0 + (<usize>j << 2), d0);
      store<f32>(o1 + (<usize>j << 2), d1);
    }
  }
  for (; i < rows; i++) {
    const ai = a + <usize>i * rowBytes;
    const nai = load<f32>(normsA + (<usize>i << 2));
    const oi = out + <usize>i * ldBytes;
    for (let j = 0; j < cols; j++) {
      const bj = b + <usize>j * rowBytes;
      const d = finish(dot1(ai, bj, rowBytes), nai, load<f32>(normsB + (<usize>j << 2)), metric, ai, 16, bj, 16, width >> 2);
      store<f32>(oi + (<usize>j << 2), d);
    }
  }
}

/** 32 bytes where squaredDifferences2x4 leaves its two vectors. */
export const TILE_SQUARES: usize = memory.data(32, 16);

/**
 * |a0 - b_c|^2 and |a1 - b_c|^2 for the four rows b_0..b_3 at b, rowBytes apart, in the
 * difference form: two f32x4 (row a0's, then a1's) at TILE_SQUARES. The 2x4 micro-kernel of
 * the low-dimension paths (distanceBlockDirect, assembly/assign.ts).
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

/** distanceBlock in the difference form (see packedBlockDirect), for widths up to DIRECT_WIDTH. */
function distanceBlockDirect(a: usize, rows: i32, b: usize, cols: i32, width: i32, out: usize, ld: i32, metric: i32): void {
  const rowBytes = <usize>width << 2;
  const ldBytes = <usize>ld << 2;
  const chunks = width >> 2;
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const a0 = a + <usize>i * rowBytes;
    const a1 = a0 + rowBytes;
    const o0 = out + <usize>i * ldBytes;
    const o1 = o0 + ldBytes;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      squaredDifferences2x4(a0, a1, b + <usize>j * rowBytes, rowBytes);
      v128.store(o0 + (<usize>j << 2), fromSquared4(v128.load(TILE_SQUARES), metric));
      v128.store(o1 + (<usize>j << 2), fromSquared4(v128.load(TILE_SQUARES, 16), metric));
    }
    for (; j < cols; j++) {
      const bj = b + <usize>j * rowBytes;
      store<f32>(o0 + (<usize>j << 2), fromSquared(exactSquared(a0, 16, bj, 16, chunks), metric));
      store<f32>(o1 + (<usize>j << 2), fromSquared(exactSquared(a1, 16, bj, 16, chunks), metric));
    }
  }
  for (; i < rows; i++) {
    const ai = a + <usize>i * rowBytes;
    const oi = out + <usize>i * ldBytes;
    for (let j = 0; j < cols; j++) {
      store<f32>(oi + (<usize>j << 2), fromSquared(exactSquared(ai, 16, b + <usize>j * rowBytes, 16, chunks), metric));
    }
  }
}

/** out[i] = |x_i|^2 for the n rows of x. */
export function squaredNorms(x: usize, n: i32, width: i32, out: usize): void {
  const rowBytes = <usize>width << 2;
  for (let i = 0; i < n; i++) {
    const row = x + <usize>i * rowBytes;
    store<f32>(out + (<usize>i << 2), dot1(row, row, rowBytes));
  }
}

/** Tile edge for the symmetric dense build: 64 rows of up to 784 dims stay in L2. */
export const TILE: i32 = 64;

// ---- the dense build on a packed layout ----
// Points are interleaved in groups of 4: group g holds, for each 4-float chunk k, the
// chunks of rows 4g..4g+3 side by side (64 bytes). A 2x4 micro-kernel then walks two
// pointers with constant offsets instead of six, which frees the ports that the address
// arithmetic took from the vector arithmetic. Rows past n are zero.

/** dst = src (n rows of width floats) in groups of 4 rows, zero-filled up to a multiple of 4. */
export function interleaveRows(src: usize, n: i32, width: i32, dst: usize): void {
  const rowBytes = <usize>width << 2;
  const chunks = width >> 2;
  const groups = (n + 3) >> 2;
  for (let g = 0; g < groups; g++) {
    for (let c = 0; c < 4; c++) {
      const row = (g << 2) + c;
      const from = src + <usize>row * rowBytes;
      let to = dst + <usize>g * (rowBytes << 2) + (<usize>c << 4);
      for (let k = 0; k < chunks; k++) {
        v128.store(to, row < n ? v128.load(from + (<usize>k << 4)) : f32x4.splat(0));
        to += 64;
      }
    }
  }
}

/** Store d(row, col..col+3), clipping at the matrix edge n. */
// @ts-ignore: decorator
@inline function storeRow(out: usize, n: i32, row: i32, col: i32, values: v128): void {
  if (row >= n) return;
  const at = out + ((<usize>row * <usize>n + <usize>col) << 2);
  if (col + 4 <= n) { v128.store(at, values); return; }
  for (let c = 0; c < n - col; c++) store<f32>(at + (<usize>c << 2), extractLane(values, c));
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

/** Store d(row, col..col+3) and d(row + 1, col..col+3), and their mirror image when `mirrored`. */
// @ts-ignore: decorator
@inline function storeTilePairs(out: usize, n: i32, row: i32, col: i32, d0: v128, d1: v128, mirrored: bool): void {
  storeRow(out, n, row, col, d0);
  storeRow(out, n, row + 1, col, d1);
  if (!mirrored) return;
  // rows col..col+3 get the pair (d(row, col + c), d(row + 1, col + c))
  const low = v128.shuffle<f32>(d0, d1, 0, 4, 1, 5);
  const high = v128.shuffle<f32>(d0, d1, 2, 6, 3, 7);
  if (col + 4 <= n && row + 2 <= n) {
    const nBytes = <usize>n << 2;
    const m = out + <usize>col * nBytes + (<usize>row << 2);
    v128.store64_lane(m, low, 0);
    v128.store64_lane(m + nBytes, low, 1);
    v128.store64_lane(m + 2 * nBytes, high, 0);
    v128.store64_lane(m + 3 * nBytes, high, 1);
  } else {
    for (let c = 0; c < 4 && col + c < n; c++) {
      const m = out + ((<usize>(col + c) * <usize>n + <usize>row) << 2);
      store<f32>(m, extractLane(d0, c));
      if (row + 1 < n) store<f32>(m, extractLane(d1, c), 4);
    }
  }
}

/** One TILE x TILE tile of the dense matrix, and its mirror image when `mirrored`. */
function packedBlock(
  packed: usize, norms: usize, n: i32, width: i32, out: usize, metric: i32,
  r0: i32, rows: i32, c0: i32, cols: i32, mirrored: bool,
): void {
  const groupBytes = <usize>width << 4; // 4 rows of width floats
  const chunks = width >> 2;
  for (let i = 0; i < rows; i += 2) {
    const row = r0 + i;
    const rowBase = packed + <usize>(row >> 2) * groupBytes + (<usize>(row & 3) << 4);
    const na0 = load<f32>(norms + (<usize>row << 2));
    const na1 = load<f32>(norms + (<usize>row << 2), 4);
    for (let j = 0; j < cols; j += 4) {
      const col = c0 + j;
      let pa = rowBase;
      let pb = packed + <usize>(col >> 2) * groupBytes;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let k = 0; k < chunks; k++) {
        const x0 = v128.load(pa);
        const x1 = v128.load(pa, 16);
        let y = v128.load(pb);
        s00 = f32x4.add(s00, f32x4.mul(x0, y));
        s10 = f32x4.add(s10, f32x4.mul(x1, y));
        y = v128.load(pb, 16);
        s01 = f32x4.add(s01, f32x4.mul(x0, y));
        s11 = f32x4.add(s11, f32x4.mul(x1, y));
        y = v128.load(pb, 32);
        s02 = f32x4.add(s02, f32x4.mul(x0, y));
        s12 = f32x4.add(s12, f32x4.mul(x1, y));
        y = v128.load(pb, 48);
        s03 = f32x4.add(s03, f32x4.mul(x0, y));
        s13 = f32x4.add(s13, f32x4.mul(x1, y));
        pa += 64;
        pb += 64;
      }
      const nb = v128.load(norms + (<usize>col << 2));
      const columns = packed + <usize>(col >> 2) * groupBytes;
      const d0 = finish4(reduce4(s00, s01, s02, s03), na0, nb, metric, rowBase, 64, columns, 64, 16, chunks);
      const d1 = finish4(reduce4(s10, s11, s12, s13), na1, nb, metric, rowBase + 16, 64, columns, 64, 16, chunks);
      storeTilePairs(out, n, row, col, d0, d1, mirrored);
    }
  }
}

/**
 * packedBlock from the differences a - b: at low dimension the Gram form saves little
 * arithmetic, and on tightly clustered data most pairs would fall below EXACT_BELOW and be
 * recomputed anyway. Exact for equal rows; needs no norms.
 */
function packedBlockDirect(
  packed: usize, n: i32, width: i32, out: usize, metric: i32,
  r0: i32, rows: i32, c0: i32, cols: i32, mirrored: bool,
): void {
  const groupBytes = <usize>width << 4;
  const chunks = width >> 2;
  for (let i = 0; i < rows; i += 2) {
    const row = r0 + i;
    const rowBase = packed + <usize>(row >> 2) * groupBytes + (<usize>(row & 3) << 4);
    for (let j = 0; j < cols; j += 4) {
      const col = c0 + j;
      let pa = rowBase;
      let pb = packed + <usize>(col >> 2) * groupBytes;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let k = 0; k < chunks; k++) {
        const x0 = v128.load(pa);
        const x1 = v128.load(pa, 16);
        let y = v128.load(pb);
        let e = f32x4.sub(x0, y); s00 = f32x4.add(s00, f32x4.mul(e, e));
        e = f32x4.sub(x1, y); s10 = f32x4.add(s10, f32x4.mul(e, e));
        y = v128.load(pb, 16);
        e = f32x4.sub(x0, y); s01 = f32x4.add(s01, f32x4.mul(e, e));
        e = f32x4.sub(x1, y); s11 = f32x4.add(s11, f32x4.mul(e, e));
        y = v128.load(pb, 32);
        e = f32x4.sub(x0, y); s02 = f32x4.add(s02, f32x4.mul(e, e));
        e = f32x4.sub(x1, y); s12 = f32x4.add(s12, f32x4.mul(e, e));
        y = v128.load(pb, 48);
        e = f32x4.sub(x0, y); s03 = f32x4.add(s03, f32x4.mul(e, e));
        e = f32x4.sub(x1, y); s13 = f32x4.add(s13, f32x4.mul(e, e));
        pa += 64;
        pb += 64;
      }
      const d0 = fromSquared4(reduce4(s00, s01, s02, s03), metric);
      const d1 = fromSquared4(reduce4(s10, s11, s12, s13), metric);
      storeTilePairs(out, n, row, col, d0, d1, mirrored);
    }
  }
}

/**
 * Fill rows [tileStart * TILE, tileEnd * TILE) of the symmetric n x n matrix `out` from
 * points packed by interleaveRows (norms padded with zeros to a multiple of 4 entries):
 * each upper-triangle tile is computed once and written to both triangles. The host calls
 * this in slices so it can report progress and honour an abort.
 */
export function denseDistanceRows(
  packed: usize, norms: usize, n: i32, width: i32, out: usize, metric: i32,
  tileStart: i32, tileEnd: i32,
): void {
  const tiles = (n + TILE - 1) / TILE;
  for (let ti = tileStart; ti < tileEnd && ti < tiles; ti++) {
    const r0 = ti * TILE;
    const rows = min(TILE, n - r0);
    for (let tj = ti; tj < tiles; tj++) {
      const c0 = tj * TILE;
      if (width <= DIRECT_WIDTH && metric != METRIC_COSINE) packedBlockDirect(packed, n, width, out, metric, r0, rows, c0, min(TILE, n - c0), tj != ti);
      else packedBlock(packed, norms, n, width, out, metric, r0, rows, c0, min(TILE, n - c0), tj != ti);
    }
    // a point is at distance 0 from itself, whatever the rounding of the Gram form says
    for (let ii = 0; ii < rows; ii++) store<f32>(out + ((<usize>(r0 + ii) * (<usize>n + 1)) << 2), 0);
  }
}
