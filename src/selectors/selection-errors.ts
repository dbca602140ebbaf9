// The relative gradient error E(S, γ) of a selection (docs/algorithms.md, section 6), against the
// plain full gradient and against AdaCore's preconditioned one.
import { gradientError } from '../quality/gradient-error.js';
import type { AdaCoreSelector } from './adacore.js';
import type { GradientBatch } from './types.js';

export interface SelectionErrors {
  /** |Σ_i g_i − Σ_j γ_j g_j| / |Σ_i g_i| on the plain gradients. */
  plain: number;
  /** The same on v = g ⊘ P, P from `selector`'s state as of its last round. */
  preconditioned: number;
}

/**
 * E(S, γ) of `coreset` (any method's: indices and weights) on `batch`. The preconditioned
 * error uses the given AdaCore selector's current curvature, without changing it: to compare
 * methods, pass the same selector for each method's coreset, after its round on this batch.
 */
export function selectionErrors(
  batch: GradientBatch,
  coreset: { indices: ArrayLike<number>; weights: ArrayLike<number> },
  selector: AdaCoreSelector,
): SelectionErrors {
  const preconditioned = selector.precondition(batch);
  return {
    plain: gradientError(batch.gradients, batch.dim, coreset.indices, coreset.weights),
    preconditioned: gradientError(preconditioned, batch.dim, coreset.indices, coreset.weights),
  };
}
