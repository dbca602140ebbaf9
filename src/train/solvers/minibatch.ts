// Minibatch solvers on tfjs's optimizers: SGD (with momentum) and Adam. Each epoch visits the
// rows in play in a seeded random order, batchSize at a time; each step minimises the batch's
// weighted loss sum_j gamma_j l_j / sum_j gamma_j.
import type { Optimizer, Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { mulberry32 } from '../../index.js';
import { weightedLoss } from '../loss.js';
import { checkFinite } from './checks.js';
import type { RowsInPlay, Solver, SolverSettings } from './types.js';

export function minibatchSolver(kind: 'sgd' | 'adam', settings: SolverSettings): Solver {
  const { tf, model, l2, learningRate, decay, momentum } = settings;
  const make = (rate: number): Optimizer => kind === 'adam'
    ? tf.train.adam(rate)
    : momentum > 0 ? tf.train.momentum(rate, momentum) : tf.train.sgd(rate);
  const optimizer = make(learningRate);
  return {
    async epoch(rows, epoch, afterStep) {
      const rate = learningRate * decay ** epoch;
      // SGD and momentum cache -rate as a tensor (setLearningRate); Adam reads the field per step
      const tunable = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void };
      if (tunable.setLearningRate) tunable.setLearningRate(rate); else tunable.learningRate = rate;
      return minibatchEpoch(settings, rows, epoch, 0x85ebca6b, afterStep, ({ x, labels, weights }) =>
        optimizer.minimize(() => weightedLoss(tf, model, x, labels, weights, l2), true, model.variables) as Scalar);
    },
    sync() {},
    dispose() { optimizer.dispose(); },
  };
}

/** One minibatch's rows, gathered from the rows in play. */
export interface Minibatch { x: Tensor2D; labels: Tensor1D; weights: Tensor1D | undefined }

/**
 * One epoch of minibatch steps: the rows in play in a seeded order (`salt` keeps each solver's
 * orders its own), batchSize at a time; `step` updates the model and returns the batch's loss
 * (inside a tidy), which must stay finite. Returns the steps taken.
 */
export async function minibatchEpoch(
  { tf, batchSize, seed }: SolverSettings, rows: RowsInPlay, epoch: number, salt: number,
  afterStep: () => Promise<void> | void, step: (batch: Minibatch) => Scalar,
): Promise<number> {
  const order = permutation(rows.rows, mulberry32((seed ^ Math.imul(epoch + 1, salt)) >>> 0));
  let steps = 0;
  for (let start = 0; start < rows.rows; start += batchSize) {
    const batch = order.subarray(start, Math.min(rows.rows, start + batchSize));
    const loss = tf.tidy(() => {
      const at = tf.tensor1d(batch, 'int32');
      return step({
        x: tf.gather(rows.x, at), labels: tf.gather(rows.labels, at) as Tensor1D,
        weights: rows.weights === undefined ? undefined : tf.gather(rows.weights, at) as Tensor1D,
      });
    });
    let value: number;
    try {
      value = (await loss.data())[0];
    } finally {
      loss.dispose(); // also when the read fails (a lost WebGPU device rejects it)
    }
    checkFinite(value, epoch, steps);
    steps++;
    const pending = afterStep();
    if (pending) await pending;
  }
  return steps;
}

/** A seeded Fisher-Yates permutation of 0..n-1. */
export function permutation(n: number, next: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((next() / 2 ** 32) * (i + 1));
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  return order;
}
