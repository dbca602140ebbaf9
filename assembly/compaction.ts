// Row compaction on the dense path: the sparse rows that replace the matrix rows late in
// the greedy (the gains read them in gains.ts sparseGain, the picks in accept.ts).

import { dense, entryDistance, entryIndex, minDist, n, rowStart, sparse } from './state';

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
