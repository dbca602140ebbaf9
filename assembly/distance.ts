// Distance blocks between two sets of row-major points (the tiled path's panels, the
// assignment's panels), and the squared norms the Gram form needs. The shared pieces are in
// assembly/micro-kernels.ts; the dense n x n build is in assembly/dense.ts.

import { fromSquared, fromSquared4, METRIC_COSINE } from './metric';
import {
  DIRECT_WIDTH, dot1, exactSquared, finish, finish4, reduce4, squaredDifferences2x4, TILE_SQUARES,
} from './micro-kernels';

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

/** distanceBlock in the difference form (see assembly/dense.ts packedBlockDirect), for widths up to DIRECT_WIDTH. */
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
