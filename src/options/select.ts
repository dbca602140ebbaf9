// selectCoreset's options: declared once (see declare.ts), resolved once per selection.
import { AdacoreError } from '../errors.js';
import { OPTIMIZERS, type Optimizer } from '../optimizers/registry.js';

/** An optimizer name, or 'auto': chosen per ground set from its size and the budgets (src/coreset/memory-plan.ts). */
export type OptimizerChoice = Optimizer | 'auto';
export const OPTIMIZER_CHOICES: readonly OptimizerChoice[] = ['auto', ...OPTIMIZERS];
import { METRICS, type Metric } from '../select/metric.js';
import type { Progress } from '../select/progress.js';
import { checkOption, defaultsOf, option, resolveDeclared, type Given, type Resolved } from './declare.js';

const finite = (v: number) => Number.isFinite(v);

/** The selection engine's knobs (every method's, too). */
export const SELECT_OPTIONS = {
  metric: option<Metric>({
    kind: 'choice', choices: METRICS, default: 'euclidean', flag: 'metric',
    expected: 'a metric name',
    doc: 'Distance between rows: euclidean (CRAIG\'s bound is on it), sqeuclidean, or cosine (1 - cosine similarity).',
  }),
  optimizer: option<OptimizerChoice>({
    kind: 'choice', choices: OPTIMIZER_CHOICES, default: 'auto', flag: 'optimizer',
    expected: 'an optimizer name',
    doc: 'How the greedy picks: lazy (exactly naive greedy\'s picks, far fewer evaluations), stochastic (a random sample of candidates per pick), naive, partitioned (greedy in random parts, then a weighted merge: GreeDi; the selectors\' default), spatial (the same on parts of nearby points, a random-projection tree), proportional (spatial parts each picking their exact share, no merge: for budgets too large to merge), or auto (lazy up to 16,384 rows per ground set while its dense block fits blockMemory, then spatial while its merge block fits blockMemory, else proportional, on parts of at least 2,048).',
  }),
  seed: option<number>({
    kind: 'integer', default: 0, flag: 'seed', metavar: 'S',
    expected: 'an integer in [0, 2^32)', valid: (v) => v >= 0 && v < 2 ** 32,
    doc: 'Seed of every random choice (stochastic samples, partitions, random selection).',
  }),
  epsilon: option<number>({
    kind: 'number', default: 0.01, flag: 'epsilon', metavar: 'E',
    expected: 'a number in (0, 1)', valid: (v) => v > 0 && v < 1,
    doc: 'Stochastic greedy\'s epsilon: each pick samples ceil((n / k) ln(1 / epsilon)) candidates.',
  }),
  sampleSize: option<number>({
    kind: 'integer', default: undefined, flag: 'sample-size', metavar: 'N',
    expected: 'a positive integer', valid: (v) => v >= 1,
    doc: 'Stochastic greedy\'s candidates per pick; overrides epsilon.',
  }),
  memoryBudget: option<number>({
    kind: 'bytes', default: undefined, defaultText: 'none', flag: 'max-memory', metavar: 'N',
    expected: 'a positive number of bytes', valid: (v) => v > 0 && finite(v),
    doc: 'Most memory the whole selection may use (the rows, every Worker\'s copy, packed rows, distance blocks, kernel state), planned before any work: dense blocks shrink to fit, and a selection that cannot fit is refused with what it needs.',
  }),
  blockMemory: option<number>({
    kind: 'bytes', default: 512 * 1024 * 1024, defaultText: '512M', flag: 'block-memory', metavar: 'N',
    expected: 'a non-negative number of bytes', valid: (v) => v >= 0 && finite(v),
    doc: 'Largest dense distance block per ground set, in bytes; beyond it distances are computed tile by tile.',
  }),
  partitionSize: option<number>({
    kind: 'integer', default: 512, flag: 'partition-size', metavar: 'N',
    expected: 'an integer of at least 2', valid: (v) => v >= 2,
    doc: 'Partitioned optimizer: points per part of the first round (a 512-point block, 1 MiB, stays in cache).',
  }),
  oversampling: option<number>({
    kind: 'number', default: 3, flag: 'oversampling', metavar: 'X',
    expected: 'a number of at least 1', valid: (v) => v >= 1 && finite(v),
    doc: 'Partitioned optimizer: first-round picks per part as a multiple of its share of the budget (small budgets get more, so that the merge chooses from about 1,536 points).',
  }),
  threads: option<number>({
    kind: 'integer', default: 1, flag: 'threads', metavar: 'N',
    expected: 'an integer from 1 to 256', valid: (v) => v >= 1 && v <= 256,
    doc: 'Select up to this many ground sets (classes) at once, each in a Worker; a single ground set (one class, or no labels) of a part-based optimizer (partitioned, spatial, proportional) runs its parts and final assignment in this many Workers instead, and one of exact greedy (lazy, naive, stochastic) builds its dense distance block on this many threads (from 2,048 rows of 32 floats, or 96 where SharedArrayBuffer is missing). The result does not depend on it.',
  }),
};

/** How many rows to select: exactly one of the two. */
export const BUDGET_OPTIONS = {
  budget: option<number>({
    kind: 'integer', default: undefined, flag: 'budget', metavar: 'K',
    expected: 'a positive integer (at least 1)', valid: (v) => v >= 1,
    doc: 'Number of rows to select (at most the number of rows).',
  }),
  fraction: option<number>({
    kind: 'number', default: undefined, flag: 'fraction', metavar: 'F',
    expected: 'a number in (0, 1]', valid: (v) => v > 0 && v <= 1,
    doc: 'Fraction of the rows to select: budget = round(fraction x rows), at least 1.',
  }),
};

export const ON_PROGRESS = option<(progress: Progress) => void>({
  kind: 'function', default: undefined, expected: 'a function', doc: 'Called with a Progress as the selection runs.',
});

export type ResolvedOptions = Resolved<typeof SELECT_OPTIONS> & {
  signal: AbortSignal | undefined;
  onProgress: ((progress: Progress) => void) | undefined;
};

/** The defaults of selectCoreset's options. */
export const DEFAULTS = defaultsOf(SELECT_OPTIONS);

export type SelectOptions = Given<typeof SELECT_OPTIONS> & {
  /** Row length, required for flat typed arrays. */
  dim?: number;
  /** One integer class label per row: the budget is split over classes in proportion to their sizes. */
  labels?: ArrayLike<number>;
  /** Number of points to select (exactly one of budget and fraction). */
  budget?: number;
  /** Fraction of the rows to select, in (0, 1]: budget = round(fraction * n), at least 1. */
  fraction?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
};

/** The engine's options, checked, with defaults filled in. */
export function resolveOptions(options: SelectOptions): ResolvedOptions {
  const resolved = resolveDeclared(SELECT_OPTIONS, options);
  const onProgress = options.onProgress === undefined ? undefined : checkOption('onProgress', ON_PROGRESS, options.onProgress);
  return { ...resolved, signal: options.signal, onProgress };
}

/** The number of points to select, from exactly one of budget and fraction. */
export function resolveBudget(options: { budget?: number; fraction?: number }, rows: number): number {
  const { budget, fraction } = resolveDeclared(BUDGET_OPTIONS, options);
  if (budget !== undefined && fraction !== undefined) throw new AdacoreError('budget', 'give either budget or fraction, not both');
  if (budget !== undefined) {
    if (budget > rows) throw new AdacoreError('budget', `${budget} is more than the ${rows} rows`);
    return budget;
  }
  if (fraction !== undefined) return Math.min(rows, Math.max(1, Math.round(fraction * rows)));
  throw new AdacoreError('budget', 'give budget (a number of points) or fraction (of the rows)');
}
