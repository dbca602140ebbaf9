// The uniform random baseline: per class, k_c of the n_c rows without replacement, each
// weighted n_c / k_c, with the class budgets of the facility-location methods.
import { resolveDeclared } from '../options/declare.js';
import { RANDOM_OPTIONS, resolveSelectorOptions } from '../options/selectors.js';
import { resolveBudget, type ResolvedOptions } from '../options/select.js';
import { facilityLocationCost } from '../quality/facility-location-cost.js';
import { classBudgets } from '../select/budget.js';
import { partitionRows } from '../select/classes.js';
import { now } from '../select/pacer.js';
import { mulberry32 } from '../select/random.js';
import { toRows } from '../select/vectors.js';
import { checkGradients } from './batch.js';
import { RoundProtocol } from './round-protocol.js';
import type { GradientBatch, RandomOptions, RoundOptions, Selection } from './types.js';

/**
 * Uniform random selection, per class (the same largest-remainder class budgets as CRAIG and
 * AdaCore, so the total is exactly the budget). Seeded: round t of a selector with seed s
 * draws the same rows on every runtime, and successive rounds draw different ones (each round
 * and class has its own mulberry32 stream, mixed from seed, round and class).
 *
 * Weights: n_c / k_c for each row of class c, so that each class's weights sum to n_c and all
 * of them to n (exactly in real numbers, and in float64 up to one rounding of each n_c / k_c).
 * They are returned as float32 like every method's weights: when k_c does not divide n_c the
 * rounded weight makes the float32 sum differ from n_c by at most about k_c * n_c * 2^-24
 * (for instance 10 rows and 3 picks: 3 x 3.3333333 = 9.9999999); when k_c divides n_c (equal
 * class sizes and a round fraction) the weights and their sum are exact.
 *
 * With measureCost the result reports the facility-location cost L(S) of the random rows on
 * the plain gradients (comparable with CRAIG's cost), else cost is NaN; gains are zeros and
 * path and optimizer 'none', since no greedy runs. Indices are in ascending order.
 */
export class RandomSelector extends RoundProtocol {
  readonly method = 'random' as const;
  readonly #measureCost: boolean;

  constructor(options: RandomOptions = {}) {
    super(resolveSelectorOptions(options), options.source);
    this.#measureCost = resolveDeclared(RANDOM_OPTIONS, options).measureCost;
  }

  /** One draw from `batch`'s rows. */
  protected async runRound(batch: GradientBatch, options: RoundOptions, config: ResolvedOptions, round: number): Promise<Selection> {
    const started = now();
    checkGradients(batch);
    const { signal } = config;
    signal?.throwIfAborted();
    const rows = toRows(batch.gradients, batch.dim);
    const budget = resolveBudget(options, rows.count);
    const classes = partitionRows(rows, options.labels);
    const budgets = classBudgets(classes.map((members) => members.length), budget);

    const picked: { index: number; weight: number }[] = [];
    classes.forEach((members, c) => {
      const next = mulberry32(streamSeed(config.seed, round, c));
      const weight = members.length / budgets[c];
      for (const index of sampleWithoutReplacement(members, budgets[c], next)) picked.push({ index, weight });
    });
    picked.sort((a, b) => a.index - b.index);
    const indices = Int32Array.from(picked, (p) => p.index);
    const weights = Float32Array.from(picked, (p) => p.weight);

    const cost = this.#measureCost
      ? await facilityLocationCost(batch.gradients, batch.dim, indices, config.metric, options.labels)
      : NaN;
    signal?.throwIfAborted();
    config.onProgress?.({
      phase: 'greedy', done: budget, total: budget, selected: budget, budget,
      classIndex: classes.length - 1, classCount: classes.length,
    });
    return {
      indices, weights, gains: new Float64Array(budget), cost, path: 'none', seconds: (now() - started) / 1000,
      budget, metric: config.metric, optimizer: 'none', plannedBytes: 0, evaluations: 0, threads: 1, method: 'random', round,
    };
  }

}

/** k of `members` uniformly without replacement: a partial Fisher-Yates shuffle of a copy. */
function sampleWithoutReplacement(members: Int32Array, k: number, next: () => number): Int32Array {
  const pool = members.slice();
  for (let t = 0; t < k; t++) {
    const j = t + Math.floor((next() / 2 ** 32) * (pool.length - t));
    const swap = pool[t];
    pool[t] = pool[j];
    pool[j] = swap;
  }
  return pool.subarray(0, k);
}

/** An independent 32-bit seed per (seed, round, class): murmur3's finaliser, chained over the three. */
export function streamSeed(seed: number, round: number, classIndex: number): number {
  return fmix32(fmix32(fmix32(seed) ^ round) ^ classIndex);
}

function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
