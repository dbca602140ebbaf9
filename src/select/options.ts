// Every option of selectCoreset, its default, and the one place that validates them.
import { AdacoreError, check } from '../errors.js';

export const METRICS = ['euclidean', 'sqeuclidean', 'cosine'] as const;
export const OPTIMIZERS = ['lazy', 'stochastic', 'naive', 'partitioned'] as const;
export type Metric = (typeof METRICS)[number];
export type Optimizer = (typeof OPTIMIZERS)[number];

/** Wire codes shared with assembly/distance.ts. */
export const METRIC_CODE: Record<Metric, number> = { euclidean: 0, sqeuclidean: 1, cosine: 2 };

export const DEFAULTS = {
  /** CRAIG's bound is on euclidean distances between gradients. */
  metric: 'euclidean' as Metric,
  /** Lazy greedy gives exactly the naive greedy's picks, usually with far fewer evaluations. */
  optimizer: 'lazy' as Optimizer,
  seed: 0,
  /** Stochastic greedy samples ceil((n / k) * ln(1 / epsilon)) candidates per pick. */
  epsilon: 0.01,
  /** Largest dense distance block (bytes) per ground set; beyond it distances are computed tile by tile. */
  memoryBudget: 512 * 1024 * 1024,
  /** Partitioned optimizer: points per part (each part's distance block, 512^2 floats = 1 MiB, stays in cache). */
  partitionSize: 512,
  /** Partitioned optimizer: each part picks this many times its share of the budget for the merge round (small budgets get more: see UNION_FLOOR in partitioned.ts). */
  oversampling: 3,
  /** Threads (Workers) that select ground sets in parallel; 1 selects in the calling thread. */
  threads: 1,
};

export interface Progress {
  /**
   * 'distances': building the dense block; 'bounds': lazy greedy's first pass; 'greedy': picking;
   * 'partitions': the partitioned optimizer's first round (done and total count parts).
   */
  phase: 'distances' | 'bounds' | 'greedy' | 'partitions';
  /** Work units done and total in this phase (tiles, points or picks). */
  done: number;
  total: number;
  /** Points picked so far over all classes, and the whole budget. */
  selected: number;
  budget: number;
  /** Which class is being processed (0-based, in ascending label order) and how many there are. */
  classIndex: number;
  classCount: number;
}

export interface SelectOptions {
  /** Row length, required for flat typed arrays. */
  dim?: number;
  /** One integer class label per row: the budget is split over classes in proportion to their sizes. */
  labels?: ArrayLike<number>;
  /** Number of points to select (exactly one of budget and fraction). */
  budget?: number;
  /** Fraction of the rows to select, in (0, 1]: budget = round(fraction * n), at least 1. */
  fraction?: number;
  metric?: Metric;
  optimizer?: Optimizer;
  /** Seed of the stochastic optimizer's sampler (an integer in [0, 2^32)). */
  seed?: number;
  /** Stochastic greedy's epsilon, in (0, 1). */
  epsilon?: number;
  /** Stochastic greedy's candidates per pick; overrides epsilon. */
  sampleSize?: number;
  memoryBudget?: number;
  /** Partitioned optimizer: points per part of the first round (at least 2). */
  partitionSize?: number;
  /**
   * Partitioned optimizer: first-round picks per part, as a multiple of the part's share of the
   * budget (at least 1; default 3). Small budgets get more, up to the whole budget per part, so
   * that the merge round chooses from about 1,536 points.
   */
  oversampling?: number;
  /**
   * Select up to this many ground sets (classes) at once, each in a Worker of its own (Node,
   * Deno, browsers; one thread where Workers are unavailable). The result does not depend on it.
   */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface ResolvedOptions {
  metric: Metric;
  optimizer: Optimizer;
  seed: number;
  epsilon: number;
  sampleSize: number | undefined;
  memoryBudget: number;
  partitionSize: number;
  oversampling: number;
  threads: number;
  signal: AbortSignal | undefined;
  onProgress: ((progress: Progress) => void) | undefined;
}

export function resolveOptions(options: SelectOptions): ResolvedOptions {
  const metric = options.metric ?? DEFAULTS.metric;
  check(METRICS.includes(metric), 'metric', `unknown metric ${JSON.stringify(metric)}; expected one of ${METRICS.join(', ')}`);
  const optimizer = options.optimizer ?? DEFAULTS.optimizer;
  check(OPTIMIZERS.includes(optimizer), 'optimizer', `unknown optimizer ${JSON.stringify(optimizer)}; expected one of ${OPTIMIZERS.join(', ')}`);
  const seed = options.seed ?? DEFAULTS.seed;
  check(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, 'seed', `expected an integer in [0, 2^32), got ${seed}`);
  const epsilon = options.epsilon ?? DEFAULTS.epsilon;
  check(typeof epsilon === 'number' && epsilon > 0 && epsilon < 1, 'epsilon', `expected a number in (0, 1), got ${epsilon}`);
  const sampleSize = options.sampleSize;
  if (sampleSize !== undefined) {
    check(Number.isInteger(sampleSize) && sampleSize >= 1, 'sampleSize', `expected a positive integer, got ${sampleSize}`);
  }
  const memoryBudget = options.memoryBudget ?? DEFAULTS.memoryBudget;
  check(typeof memoryBudget === 'number' && memoryBudget >= 0 && Number.isFinite(memoryBudget), 'memoryBudget', `expected a non-negative number of bytes, got ${memoryBudget}`);
  const partitionSize = options.partitionSize ?? DEFAULTS.partitionSize;
  check(Number.isInteger(partitionSize) && partitionSize >= 2, 'partitionSize', `expected an integer of at least 2, got ${partitionSize}`);
  const oversampling = options.oversampling ?? DEFAULTS.oversampling;
  check(typeof oversampling === 'number' && oversampling >= 1 && Number.isFinite(oversampling), 'oversampling', `expected a number of at least 1, got ${oversampling}`);
  const threads = options.threads ?? DEFAULTS.threads;
  check(Number.isInteger(threads) && threads >= 1 && threads <= 256, 'threads', `expected an integer from 1 to 256, got ${threads}`);
  if (options.onProgress !== undefined) check(typeof options.onProgress === 'function', 'onProgress', 'expected a function');
  return {
    metric, optimizer, seed, epsilon, sampleSize, memoryBudget, partitionSize, oversampling, threads,
    signal: options.signal, onProgress: options.onProgress,
  };
}

/** The number of points to select, from exactly one of budget and fraction. */
export function resolveBudget(options: SelectOptions, rows: number): number {
  const { budget, fraction } = options;
  if (budget !== undefined && fraction !== undefined) throw new AdacoreError('budget', 'give either budget or fraction, not both');
  if (budget !== undefined) {
    check(typeof budget === 'number' && Number.isInteger(budget), 'budget', `expected an integer, got ${budget}`);
    check(budget > 0, 'budget', `expected at least 1, got ${budget}`);
    check(budget <= rows, 'budget', `${budget} is more than the ${rows} rows`);
    return budget;
  }
  if (fraction !== undefined) {
    check(typeof fraction === 'number' && fraction > 0 && fraction <= 1, 'fraction', `expected a number in (0, 1], got ${fraction}`);
    return Math.min(rows, Math.max(1, Math.round(fraction * rows)));
  }
  throw new AdacoreError('budget', 'give budget (a number of points) or fraction (of the rows)');
}

/** Stochastic greedy's sample per pick for a ground set of n points and k picks. */
export function stochasticSampleSize(n: number, k: number, epsilon: number, sampleSize?: number): number {
  const s = sampleSize ?? Math.ceil((n / k) * Math.log(1 / epsilon));
  return Math.max(1, Math.min(n, s));
}

/** The per-class sampler seed: classes draw independent streams from one user seed. */
export function classSeed(seed: number, classIndex: number): number {
  return (seed + Math.imul(classIndex, 0x9e3779b9)) >>> 0;
}
