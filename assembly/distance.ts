// Distance kernels. Points are rows of `dim4` f32 values (dim4 is a multiple of 4,
// zero-padded), with their squared norms precomputed. Distances come from the Gram form
// |a|^2 + |b|^2 - 2 a.b, which does 2 flops per coordinate instead of 3 and lets one
// row load serve several columns. The host centres the data first so the norms stay
// small and the cancellation in that form stays near float32 rounding.

export const EUCLIDEAN: i32 = 0;
export const SQEUCLIDEAN: i32 = 1;
export const COSINE: i32 = 2; // rows are unit-normalised by the host: d = 1 - a.b

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
         (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline function finish(dot: f32, normA: f32, normB: f32, metric: i32): f32 {
  if (metric == COSINE) return max<f32>(0, 1 - dot);
  const squared = max<f32>(0, normA + normB - 2 * dot);
  return metric == EUCLIDEAN ? sqrt<f32>(squared) : squared;
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
 * out[i * ld + j] = d(a_i, b_j) for i < rows, j < cols.
 * The 4x2 micro-kernel keeps 8 accumulators in registers: each loaded row chunk is used
 * twice and each column chunk four times.
 */
export function distanceBlock(
  a: usize, normsA: usize, rows: i32,
  b: usize, normsB: usize, cols: i32,
  dim4: i32, out: usize, ld: i32, metric: i32,
): void {
  const rowBytes = <usize>dim4 << 2;
  const ldBytes = <usize>ld << 2;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const a0 = a + <usize>i * rowBytes;
    const a1 = a0 + rowBytes;
    const a2 = a1 + rowBytes;
    const a3 = a2 + rowBytes;
    const na0 = load<f32>(normsA + (<usize>i << 2));
    const na1 = load<f32>(normsA + (<usize>i << 2), 4);
    const na2 = load<f32>(normsA + (<usize>i << 2), 8);
    const na3 = load<f32>(normsA + (<usize>i << 2), 12);
    const o0 = out + <usize>i * ldBytes;
    const o1 = o0 + ldBytes;
    const o2 = o1 + ldBytes;
    const o3 = o2 + ldBytes;
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const b0 = b + <usize>j * rowBytes;
      const b1 = b0 + rowBytes;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0);
      let s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let k: usize = 0; k < rowBytes; k += 16) {
        const x0 = v128.load(a0 + k);
        const x1 = v128.load(a1 + k);
        const x2 = v128.load(a2 + k);
        const x3 = v128.load(a3 + k);
        const y0 = v128.load(b0 + k);
        s00 = f32x4.add(s00, f32x4.mul(x0, y0));
        s10 = f32x4.add(s10, f32x4.mul(x1, y0));
        s20 = f32x4.add(s20, f32x4.mul(x2, y0));
        s30 = f32x4.add(s30, f32x4.mul(x3, y0));
        const y1 = v128.load(b1 + k);
        s01 = f32x4.add(s01, f32x4.mul(x0, y1));
        s11 = f32x4.add(s11, f32x4.mul(x1, y1));
        s21 = f32x4.add(s21, f32x4.mul(x2, y1));
        s31 = f32x4.add(s31, f32x4.mul(x3, y1));
      }
      const nb0 = load<f32>(normsB + (<usize>j << 2));
      const nb1 = load<f32>(normsB + (<usize>j << 2), 4);
      const oj = <usize>j << 2;
      store<f32>(o0 + oj, finish(hsum(s00), na0, nb0, metric));
      store<f32>(o0 + oj, finish(hsum(s01), na0, nb1, metric), 4);
      store<f32>(o1 + oj, finish(hsum(s10), na1, nb0, metric));
      store<f32>(o1 + oj, finish(hsum(s11), na1, nb1, metric), 4);
      store<f32>(o2 + oj, finish(hsum(s20), na2, nb0, metric));
      store<f32>(o2 + oj, finish(hsum(s21), na2, nb1, metric), 4);
      store<f32>(o3 + oj, finish(hsum(s30), na3, nb0, metric));
      store<f32>(o3 + oj, finish(hsum(s31), na3, nb1, metric), 4);
    }
    for (; j < cols; j++) {
      // 4x1: one column against the four rows (a matrix-vector product when cols == 1)
      const b0 = b + <usize>j * rowBytes;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let k: usize = 0; k < rowBytes; k += 16) {
        const y0 = v128.load(b0 + k);
        s0 = f32x4.add(s0, f32x4.mul(v128.load(a0 + k), y0));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(a1 + k), y0));
        s2 = f32x4.add(s2, f32x4.mul(v128.load(a2 + k), y0));
        s3 = f32x4.add(s3, f32x4.mul(v128.load(a3 + k), y0));
      }
      const nb0 = load<f32>(normsB + (<usize>j << 2));
      const oj = <usize>j << 2;
      store<f32>(o0 + oj, finish(hsum(s0), na0, nb0, metric));
      store<f32>(o1 + oj, finish(hsum(s1), na1, nb0, metric));
      store<f32>(o2 + oj, finish(hsum(s2), na2, nb0, metric));
      store<f32>(o3 + oj, finish(hsum(s3), na3, nb0, metric));
    }
  }
  for (; i < rows; i++) {
    const ai = a + <usize>i * rowBytes;
    const nai = load<f32>(normsA + (<usize>i << 2));
    const oi = out + <usize>i * ldBytes;
    for (let j = 0; j < cols; j++) {
      const dot = dot1(ai, b + <usize>j * rowBytes, rowBytes);
      store<f32>(oi + (<usize>j << 2), finish(dot, nai, load<f32>(normsB + (<usize>j << 2)), metric));
    }
  }
}

/** out[i] = |x_i|^2 for the n rows of x. */
export function squaredNorms(x: usize, n: i32, dim4: i32, out: usize): void {
  const rowBytes = <usize>dim4 << 2;
  for (let i = 0; i < n; i++) {
    const row = x + <usize>i * rowBytes;
    store<f32>(out + (<usize>i << 2), dot1(row, row, rowBytes));
  }
}

/** Tile edge for the symmetric dense build: 64 rows of up to 784 dims stay in L2. */
export const TILE: i32 = 64;

/**
 * Fill rows [tileStart * TILE, tileEnd * TILE) of the symmetric n x n matrix `out`:
 * each upper-triangle tile is computed once and mirrored below the diagonal.
 * The host calls this in slices so it can report progress and honour an abort.
 */
export function denseDistanceRows(
  x: usize, norms: usize, n: i32, dim4: i32, out: usize, metric: i32,
  tileStart: i32, tileEnd: i32,
): void {
  const rowBytes = <usize>dim4 << 2;
  const tiles = (n + TILE - 1) / TILE;
  const nn = <usize>n;
  for (let ti = tileStart; ti < tileEnd && ti < tiles; ti++) {
    const r0 = ti * TILE;
    const rows = min(TILE, n - r0);
    for (let tj = ti; tj < tiles; tj++) {
      const c0 = tj * TILE;
      const cols = min(TILE, n - c0);
      const block = out + ((<usize>r0 * nn + <usize>c0) << 2);
      distanceBlock(
        x + <usize>r0 * rowBytes, norms + (<usize>r0 << 2), rows,
        x + <usize>c0 * rowBytes, norms + (<usize>c0 << 2), cols,
        dim4, block, n, metric,
      );
      if (tj != ti) {
        for (let jj = 0; jj < cols; jj++) {
          const dst = out + ((<usize>(c0 + jj) * nn + <usize>r0) << 2);
          for (let ii = 0; ii < rows; ii++) {
            store<f32>(dst + (<usize>ii << 2), load<f32>(block + ((<usize>ii * nn + <usize>jj) << 2)));
          }
        }
      }
    }
    // a point is at distance 0 from itself, whatever the rounding of the Gram form says
    for (let ii = 0; ii < rows; ii++) store<f32>(out + ((<usize>(r0 + ii) * (nn + 1)) << 2), 0);
  }
}
