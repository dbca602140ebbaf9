// A small softmax-regression model in plain TypeScript (no tfjs), enough to give a selection
// round real per-example gradients: minibatch SGD, then g_i = softmax(W x_i + b) - onehot(y_i),
// the gradient of example i's cross-entropy loss with respect to its logits (CRAIG's proxy).
// The demo and the benchmarks train with it; the tfjs trainer will live beside it.
import { ensure } from '../tf/errors.js';
import type { Matrix } from '../io/types.js';

export interface SoftmaxModel {
  /** dim x classes, row-major: weights[j * classes + c]. */
  weights: Float32Array;
  bias: Float32Array;
  classes: number;
  dim: number;
}

export interface SoftmaxTraining {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Rows per SGD step, in order (default 100). */
  batch?: number;
  /** Learning rate (default 0.5). */
  rate?: number;
}

/** Minibatch SGD on the mean cross-entropy, from zero weights; deterministic (rows in order). */
export function trainSoftmaxRegression(
  images: Matrix, labels: ArrayLike<number>, classes: number, { epochs = 1, batch = 100, rate = 0.5 }: SoftmaxTraining = {},
): SoftmaxModel {
  const { data, rows, dim } = images;
  ensure(labels.length === rows, 'labels', `expected ${rows} labels (one per row), got ${labels.length}`);
  ensure(Number.isInteger(classes) && classes >= 2, 'classes', `expected an integer of at least 2, got ${classes}`);
  const weights = new Float32Array(dim * classes), bias = new Float32Array(classes);
  const gradW = new Float32Array(dim * classes), gradB = new Float32Array(classes);
  const p = new Float32Array(classes);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let start = 0; start < rows; start += batch) {
      gradW.fill(0); gradB.fill(0);
      const end = Math.min(rows, start + batch);
      for (let i = start; i < end; i++) {
        probabilities(data, i, dim, weights, bias, p);
        p[labels[i]] -= 1;
        for (let j = 0; j < dim; j++) {
          const x = data[i * dim + j];
          if (x !== 0) for (let c = 0; c < classes; c++) gradW[j * classes + c] += x * p[c];
        }
        for (let c = 0; c < classes; c++) gradB[c] += p[c];
      }
      const step = rate / (end - start);
      for (let k = 0; k < gradW.length; k++) weights[k] -= step * gradW[k];
      for (let c = 0; c < classes; c++) bias[c] -= step * gradB[c];
    }
  }
  return { weights, bias, classes, dim };
}

/** Per-example logit gradients (rows x classes) and the model's accuracy on these rows. */
export function softmaxLogitGradients(model: SoftmaxModel, images: Matrix, labels: ArrayLike<number>): { gradients: Float32Array; accuracy: number } {
  const { classes, dim } = model;
  const gradients = new Float32Array(images.rows * classes);
  const p = new Float32Array(classes);
  let correct = 0;
  for (let i = 0; i < images.rows; i++) {
    probabilities(images.data, i, dim, model.weights, model.bias, p);
    let predicted = 0;
    for (let c = 1; c < classes; c++) if (p[c] > p[predicted]) predicted = c;
    if (predicted === labels[i]) correct++;
    p[labels[i]] -= 1;
    gradients.set(p, i * classes);
  }
  return { gradients, accuracy: correct / images.rows };
}

/** The model's logits W x_i + b for every row (rows x classes, float32). */
export function softmaxLogits(model: SoftmaxModel, images: Matrix): Float32Array {
  const { classes, dim } = model;
  const logits = new Float32Array(images.rows * classes);
  for (let i = 0; i < images.rows; i++) logitsInto(images.data, i, dim, model.weights, model.bias, logits.subarray(i * classes, (i + 1) * classes));
  return logits;
}

/**
 * The weight gradient sum_t w_t g_t x_t^T (classes x dim, flattened) over rows `indices` with
 * weights `weights`, from logit gradients (rows x classes): how well a weighted subset stands in
 * for the full last-layer gradient.
 */
export function weightGradientSum(
  images: Matrix, gradients: Float32Array, classes: number, indices: ArrayLike<number>, weights: ArrayLike<number>,
): Float64Array {
  const { data, dim } = images;
  const sum = new Float64Array(classes * dim);
  for (let t = 0; t < indices.length; t++) {
    const i = indices[t], w = weights[t];
    for (let c = 0; c < classes; c++) {
      const g = w * gradients[i * classes + c];
      if (g === 0) continue;
      const row = c * dim;
      for (let j = 0; j < dim; j++) sum[row + j] += g * data[i * dim + j];
    }
  }
  return sum;
}

function logitsInto(data: Matrix['data'], i: number, dim: number, weights: Float32Array, bias: Float32Array, out: Float32Array): void {
  const classes = out.length;
  for (let c = 0; c < classes; c++) out[c] = bias[c];
  for (let j = 0; j < dim; j++) {
    const x = data[i * dim + j];
    if (x !== 0) for (let c = 0; c < classes; c++) out[c] += x * weights[j * classes + c];
  }
}

function probabilities(data: Matrix['data'], i: number, dim: number, weights: Float32Array, bias: Float32Array, out: Float32Array): void {
  const classes = out.length;
  logitsInto(data, i, dim, weights, bias, out);
  let largest = -Infinity, total = 0;
  for (let c = 0; c < classes; c++) largest = Math.max(largest, out[c]);
  for (let c = 0; c < classes; c++) { out[c] = Math.exp(out[c] - largest); total += out[c]; }
  for (let c = 0; c < classes; c++) out[c] /= total;
}
