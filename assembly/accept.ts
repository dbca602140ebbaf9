// Adding a pick to the selection: minDist and nearest lowered where it is nearer, the pick
// removed from the unselected list. Every greedy variant ends its round here.

import { columnOf } from './gains';
import {
  entryDistance, entryIndex, minDist, n, nearest, pickedGain, position, remaining, remainingCount, round,
  rowStart, sparse,
} from './state';

/** Add c to the selection: lower minDist where c is nearer, and c owns itself. */
export function accept(c: i32, gain: f64): i32 {
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
