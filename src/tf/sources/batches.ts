// Runs a tfjs computation over row batches and collects rows x dim float32 outputs, with no
// tensor left behind: each batch is computed inside tf.tidy, read back, then disposed.
import type { Tensor, TensorFlow } from '../context.js';
import { checkOutputSize } from './inputs.js';
import type { CurvatureBatch } from './types.js';

/** One batch's tensors: gradients and Hessian diagonals (batch x dim), then per-row checks. */
export interface BatchTensors {
  gradients: Tensor;
  hessianDiagonals: Tensor;
  /** Per-row check tensors, handed back as arrays to `verify`. */
  checks?: Tensor[];
}

export async function runBatches(
  tf: TensorFlow, rows: number, dim: number, batchRows: number,
  compute: (r0: number, r1: number) => BatchTensors,
  verify?: (r0: number, r1: number, checks: ArrayLike<number>[]) => void,
): Promise<CurvatureBatch> {
  checkOutputSize(rows, dim);
  const gradients = new Float32Array(rows * dim);
  const hessianDiagonals = new Float32Array(rows * dim);
  for (let r0 = 0; r0 < rows; r0 += batchRows) {
    const r1 = Math.min(rows, r0 + batchRows);
    const tensors = tf.tidy(() => {
      const out = compute(r0, r1);
      return [out.gradients, out.hessianDiagonals, ...(out.checks ?? [])];
    });
    try {
      const [g, h, ...checks] = (await Promise.all(tensors.map((t) => t.data()))) as ArrayLike<number>[];
      verify?.(r0, r1, checks);
      gradients.set(g as Float32Array, r0 * dim);
      hessianDiagonals.set(h as Float32Array, r0 * dim);
    } finally {
      for (const t of tensors) t.dispose();
    }
  }
  return { gradients, hessianDiagonals, rows, dim, backend: tf.getBackend() };
}
