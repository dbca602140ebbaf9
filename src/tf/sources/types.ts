// The shapes of the gradient sources (src/tf/sources).
import type { Tensor, TfOption } from '../context.js';

/**
 * Per-example gradients and Hessian diagonals, row-major: row i is `gradients[i * dim, (i + 1) * dim)`
 * and `hessianDiagonals` has the same layout. The shape the selectors take (GradientBatch).
 */
export interface CurvatureBatch {
  gradients: Float32Array;
  hessianDiagonals: Float32Array;
  rows: number;
  dim: number;
  /** The tfjs backend that computed it (tf.getBackend() at the time). */
  backend: string;
}

/**
 * A rows x columns matrix: a tfjs Tensor (rank 2; rank 1 where a single column is meant), an
 * array of rows, or a flat row-major array (Float32Array, Float64Array, number[]) whose row count
 * is the number of labels.
 */
export type MatrixInput = Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** One integer class label per row: Int32Array, number[], or a rank-1 Tensor. */
export type LabelsInput = Tensor | ArrayLike<number>;

/** Options every gradient source takes. */
export interface SourceOptions extends TfOption {
  /**
   * Rows per tfjs batch. Each batch's tensors are freed before the next starts, and results are
   * written into the output arrays, so memory stays bounded for any row count. Default: as many
   * rows as fit in about 4 M floats per rows x dim tensor (all 60,000 rows at dim 10).
   */
  batchSize?: number;
}
