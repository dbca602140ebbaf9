// Per-example gradients and exact Hessian diagonals in closed form (docs/algorithms.md, section 2),
// in plain TypeScript: no tfjs needed when the model's outputs are at hand. adacore/tf's
// softmaxCrossEntropy computes the same on tfjs tensors (any backend, logits or probabilities);
// this one keeps the core bundle and the CLI free of tfjs. test/node/closed-forms.test.ts
// holds the two to the same values.
import { AdacoreError, check } from '../errors.js';
import type { GradientBatch } from './types.js';

/**
 * Softmax cross-entropy with respect to the logits: with p = softmax(z) and y the one-hot
 * label, g = p − y and diag(H) = p ⊙ (1 − p). `logits` is rows x classes, row-major;
 * `labels` holds each row's class as a column index in 0..classes-1. The softmax subtracts
 * each row's largest logit first, so large logits do not overflow; it is computed in float64
 * and rounded once to float32.
 */
export function softmaxCrossEntropyFromLogits(
  logits: Float32Array | Float64Array | ArrayLike<number>, rows: number, classes: number, labels: ArrayLike<number>,
): GradientBatch {
  check(Number.isInteger(rows) && rows > 0, 'rows', `expected a positive integer, got ${rows}`);
  check(Number.isInteger(classes) && classes >= 2, 'classes', `expected an integer of at least 2 (the logits' columns), got ${classes}`);
  check(logits != null && typeof logits.length === 'number', 'logits', 'expected an array of rows x classes numbers');
  check(
    logits.length === rows * classes, 'logits',
    `expected rows x classes = ${rows} x ${classes} = ${rows * classes} values, got ${logits.length}`,
  );
  check(labels != null && typeof labels.length === 'number', 'labels', 'expected an array of class indices');
  check(labels.length === rows, 'labels', `expected ${rows} labels (one per row of the logits), got ${labels.length}`);

  const gradients = new Float32Array(rows * classes);
  const hessianDiagonals = new Float32Array(rows * classes);
  const p = new Float64Array(classes);
  for (let i = 0; i < rows; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new AdacoreError(
        'labels',
        `row ${i} has label ${String(label)}, outside the classes 0..${classes - 1} (the logits have ${classes} columns)`,
      );
    }
    const base = i * classes;
    let largest = -Infinity;
    for (let c = 0; c < classes; c++) {
      const z = logits[base + c];
      if (typeof z !== 'number' || !Number.isFinite(z)) {
        throw new AdacoreError('logits', `row ${i}, column ${c} is ${String(z)}; every logit must be a finite number`);
      }
      largest = Math.max(largest, z);
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += p[c] = Math.exp(logits[base + c] - largest);
    for (let c = 0; c < classes; c++) {
      const probability = p[c] / sum;
      gradients[base + c] = probability - (c === label ? 1 : 0);
      hessianDiagonals[base + c] = probability * (1 - probability);
    }
  }
  return { gradients, hessianDiagonals, rows, dim: classes };
}
