// The candidates of naive and stochastic greedy (docs/algorithms.md, "Greedy variants"), and
// the choice of the best evaluated one.

import { accept } from './accept';
import { batchGains, candidates, pickedGain, position, remaining, remainingCount, rngState } from './state';

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
