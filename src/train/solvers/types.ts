// What every solver is given and offers: the trainer hands it the rows in play (the subset,
// or all rows) each epoch and is told after every step, so that it evaluates every method at
// the same step granularity.
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { TensorFlow } from '../../tf/context.js';
import type { Model } from '../models.js';

/** The rows a solver trains on this epoch, as tensors (owned by the trainer) and arrays. */
export interface RowsInPlay {
  x: Tensor2D;
  labels: Tensor1D;
  /** Per-row weights (a coreset's), or undefined: every row counts 1. */
  weights: Tensor1D | undefined;
  /** The same rows as arrays, for solvers that step in JavaScript. */
  xArray: Float32Array;
  labelArray: Int32Array;
  weightArray: Float32Array | undefined;
  rows: number;
  dim: number;
}

export interface SolverSettings {
  tf: TensorFlow;
  model: Model;
  l2: number;
  learningRate: number;
  /** Learning rate at epoch e: learningRate * decay^e (1: constant). */
  decay: number;
  momentum: number;
  batchSize: number;
  seed: number;
  /** Full-batch solvers: iterations per epoch. */
  iterations: number;
}

export interface Solver {
  /**
   * One epoch on `rows`; `afterStep()` is called after every step (the trainer evaluates there;
   * a promise it returns is awaited). Returns the steps taken. Throws when the loss stops being finite.
   */
  epoch(rows: RowsInPlay, epoch: number, afterStep: () => Promise<void> | void): Promise<number>;
  /** Write state kept outside the model's variables back into them (before an evaluation). */
  sync(): void;
  dispose(): void;
}
