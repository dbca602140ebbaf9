// The trainer's 'hutchinson' selection source: the last layer's per-row gradients with the
// per-row Hessian diagonal estimated by Hutchinson's method, diag(H_i) ≈ mean_k z_k ⊙ (H_i z_k)
// over seeded Rademacher probes z_k. The last layer of z = [h, 1] W has a per-row Hessian
// H_i = (a_i a_iᵀ) ⊗ A_i with a_i = [h_i, 1] and A_i = diag(p_i) − p_i p_iᵀ (softmax) or
// σ_i (1 − σ_i) (logistic), so a Hessian-vector product is a_i ⊗ (A_i (Zᵀ a_i)): batched over
// rows it is one matrix product and a few elementwise ops per probe, never a tfjs call per row.
// The probes are shared by the rows of a round (each row's estimate is still unbiased) and drawn
// anew each round from the trainer's seed.
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { GradientBatch } from '../index.js';
import type { TensorFlow } from '../tf/context.js';
import { rademacher } from '../tf/sources/index.js';

/** Rademacher probes per round. */
export const HUTCHINSON_PROBES = 4;

/** About this many floats per rows x dim tensor of one batch of rows. */
const BATCH_FLOATS = 1 << 22;

export interface HutchinsonInput {
  tf: TensorFlow;
  /** The last layer's inputs h, rows x f. */
  features: Tensor2D;
  /** The logits, rows x outputs (outputs = 1: binary logistic). */
  logits: Tensor2D;
  labels: Int32Array;
  seed: number;
  /** The round: each round draws its own probes. */
  round: number;
  probes?: number;
}

/**
 * Gradients (p − y) ⊗ [h, 1] in a Dense layer's order (kernel [f, outputs] row-major, then bias)
 * and Hutchinson estimates of their Hessian diagonals, dim = (f + 1) x outputs.
 */
export async function hutchinsonLastLayer(input: HutchinsonInput): Promise<GradientBatch> {
  const { tf, features, logits, labels, seed, round } = input;
  const probes = input.probes ?? HUTCHINSON_PROBES;
  const [rows, f] = features.shape;
  const outputs = logits.shape[1];
  const width = f + 1;
  const dim = width * outputs;
  const z = Array.from({ length: probes }, (_, k) => rademacher(dim, seed, round * probes + k));
  const gradients = new Float32Array(rows * dim);
  const hessianDiagonals = new Float32Array(rows * dim);
  const step = Math.max(1, Math.floor(BATCH_FLOATS / dim));
  for (let r0 = 0; r0 < rows; r0 += step) {
    const n = Math.min(step, rows - r0);
    const [g, d] = tf.tidy(() => {
      const a = tf.concat([tf.slice(features, [r0, 0], [n, f]), tf.ones([n, 1])], 1);
      const zr = tf.slice(logits, [r0, 0], [n, outputs]);
      const y = tf.tensor1d(labels.subarray(r0, r0 + n), 'int32');
      const p = outputs === 1 ? tf.sigmoid(zr) : tf.softmax(zr);
      const target = outputs === 1 ? tf.reshape(tf.cast(y, 'float32'), [n, 1]) : tf.oneHot(y, outputs).asType('float32');
      // (n, width, outputs) -> (n, dim): entry j * outputs + c, the bias as j = f
      const outer = (u: Tensor, v: Tensor) => tf.reshape(tf.mul(tf.expandDims(u, 2), tf.expandDims(v, 1)), [n, dim]);
      let sum: Tensor | undefined;
      for (const signs of z) {
        const probe = tf.tensor2d(signs, [width, outputs]);
        const u = tf.matMul(a, probe); // Zᵀ a_i, (n, outputs)
        const v = outputs === 1
          ? tf.mul(tf.mul(p, tf.sub(1, p)), u)
          : tf.sub(tf.mul(p, u), tf.mul(p, tf.sum(tf.mul(p, u), 1, true))); // A_i u_i
        const estimate = tf.mul(outer(a, v), tf.reshape(probe, [1, dim]));
        sum = sum === undefined ? estimate : tf.add(sum, estimate);
      }
      return [outer(a, tf.sub(p, target)), tf.div(sum!, probes)];
    });
    try {
      gradients.set((await g.data()) as Float32Array, r0 * dim);
      hessianDiagonals.set((await d.data()) as Float32Array, r0 * dim);
    } finally {
      g.dispose(); d.dispose();
    }
  }
  return { gradients, hessianDiagonals, rows, dim };
}
