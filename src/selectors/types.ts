// The shapes shared by the selectors, the gradient sources (src/tf) and the CLI.
import type { Coreset } from '../coreset/select-coreset.js';
import type { Optimizer } from '../optimizers/registry.js';
import type { Given } from '../options/declare.js';
import type { ADACORE_OPTIONS, RANDOM_OPTIONS, SelectionMethod } from '../options/selectors.js';
import type { SelectOptions } from '../options/select.js';
import type { Progress } from '../select/progress.js';

export { SELECTION_METHODS, PRECONDITIONINGS, type SelectionMethod, type Preconditioning } from '../options/selectors.js';

/**
 * Per-example gradients (and, for AdaCore, Hessian diagonals) of a dataset, row-major:
 * row i is gradients[i * dim, (i + 1) * dim). The gradient sources produce this shape.
 */
export interface GradientBatch {
  gradients: Float32Array;
  /**
   * diag(H_i) estimates, rows x dim like the gradients. AdaCore's shared mode also takes a
   * single model-wide diagonal of length dim.
   */
  hessianDiagonals?: Float32Array;
  rows: number;
  dim: number;
}

/** The options of one selection round. */
export interface RoundOptions {
  /** One integer class label per row: the budget is split over classes in proportion to their sizes. */
  labels?: ArrayLike<number>;
  /** Number of rows to select (exactly one of budget and fraction). */
  budget?: number;
  /** Fraction of the rows to select, in (0, 1]. */
  fraction?: number;
  /** Overrides the selector's signal for this round. */
  signal?: AbortSignal;
  /** Overrides the selector's progress callback for this round. */
  onProgress?: (progress: Progress) => void;
}

/**
 * The selection options every method takes (those of selectCoreset; random uses metric and
 * blockMemory only for the cost it reports). `epsilon` and `sampleSize` are stochastic
 * greedy's, as in selectCoreset; AdaCore's preconditioner epsilon is `preconditionEpsilon`.
 */
export type SelectorOptions = Omit<SelectOptions, 'dim' | 'labels' | 'budget' | 'fraction'> & {
  /**
   * The gradient source: called once per round with the round about to run (1, 2, ...) when
   * select() is given only the round's options, e.g. `() => softmaxCrossEntropy({ logits:
   * model.predict(x), labels })` from adacore/tf. A batch passed to select() wins over it.
   */
  source?: GradientSource;
};

/** A round's per-example gradients (and Hessian diagonals), from the model as it is now. */
export type GradientSource = (round: number) => GradientBatch | Promise<GradientBatch>;

/** AdaCore's options: the selection options and its knobs (declared in src/options/selectors.ts, defaults in ADACORE_DEFAULTS). */
export type AdaCoreOptions = SelectorOptions & Given<typeof ADACORE_OPTIONS>;

/** The random baseline's options: the selection options and measureCost. */
export type RandomOptions = SelectorOptions & Given<typeof RANDOM_OPTIONS>;

/** Options any method accepts, so that callers can switch method by name with one object. */
export type AnySelectorOptions = AdaCoreOptions & RandomOptions;

/**
 * A selection round's result: selectCoreset's Coreset plus the method and round. Random
 * selection runs no greedy: its path and optimizer are 'none', its gains are zeros, and its
 * cost is L(S) of the random rows on the plain gradients with measureCost, else NaN.
 */
export interface Selection extends Omit<Coreset, 'path' | 'optimizer'> {
  path: Coreset['path'] | 'none';
  optimizer: Optimizer | 'none';
  method: SelectionMethod;
  /** 1 for the first round after construction or reset(), then 2, 3, ... */
  round: number;
  /** AdaCore with returnPreconditioned: the vectors clustered this round, rows x dim. */
  preconditioned?: Float32Array;
}

/** What every selector offers: switch method by name with createSelector. */
export interface Selector {
  readonly method: SelectionMethod;
  /** Rounds completed since construction or reset(). */
  readonly round: number;
  /** One round on `batch`. */
  select(batch: GradientBatch, options: RoundOptions): Promise<Selection>;
  /** One round on the batch the selector's `source` option gives. */
  select(options: RoundOptions): Promise<Selection>;
  /** Forget all state (AdaCore's averages, the round count). */
  reset(): void;
}
