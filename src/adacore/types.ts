// The shapes shared by the selectors, the gradient sources (src/tf, src/curvature) and the CLI.
import type { Coreset } from '../select/select-coreset.js';
import type { Optimizer, Progress, SelectOptions } from '../select/options.js';

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

export const SELECTION_METHODS = ['adacore', 'craig', 'random'] as const;
export type SelectionMethod = (typeof SELECTION_METHODS)[number];

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
 * memoryBudget only for the cost it reports). `epsilon` and `sampleSize` are stochastic
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

/** 'per-example': each row's own Hessian diagonal; 'shared': one model-wide diagonal for all rows. */
export type Preconditioning = 'per-example' | 'shared';

/** AdaCore's knobs (ALGORITHMS.md section 2); defaults in ADACORE_DEFAULTS. */
export interface AdaCoreOptions extends SelectorOptions {
  preconditioning?: Preconditioning;
  /** Decay of the exponential average of D ⊙ D over selection rounds, in [0, 1). */
  beta?: number;
  /** Divide the average by 1 - beta^t (t = rounds seen), as Adam and AdaHessian do. */
  biasCorrection?: boolean;
  /** κ in [0, 1]: P = sqrt(V̂)^κ + ε. 0 turns preconditioning off (CRAIG's picks), 1 is full. */
  hessianPower?: number;
  /** ε > 0 added to the preconditioner so that rows with a zero curvature stay finite. */
  preconditionEpsilon?: number;
  /** Return each round's preconditioned vectors v = g / P as `preconditioned`. */
  returnPreconditioned?: boolean;
}

/** The random baseline's options. */
export interface RandomOptions extends SelectorOptions {
  /**
   * Measure the facility-location cost L(S) of the drawn rows on the plain gradients (n x k_c
   * distances per class: about 0.3 s for 60,000 rows at 10 % on two cores). Off by default:
   * the baseline's point is to cost nothing; `cost` is then NaN.
   */
  measureCost?: boolean;
}

/** Options any method accepts, so that callers can switch method by name with one object. */
export interface AnySelectorOptions extends AdaCoreOptions, RandomOptions {}

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
