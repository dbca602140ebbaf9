// The dense n x n distance matrix, built on a packed layout.
// Points are interleaved in groups of 4: group g holds, for each 4-float chunk k, the
// chunks of rows 4g..4g+3 side by side (64 bytes). A 2x4 micro-kernel then walks two
// pointers with constant offsets instead of six, which frees the ports that the address
// arithmetic took from the vector arithmetic. Rows past n are zero.

import { fromSquared4, METRIC_COSINE } from './metric';
import { DIRECT_WIDTH, extractLane, finish4, reduce4 } from './micro-kernels';

/** Tile edge for the symmetric dense build: 64 rows of up to 784 dims stay in L2. */
export const TILE: i32 = 64;

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
