// The trainer's inputs and its result, the learning curve.
import type { AnySelectorOptions, Given } from '../index.js';
import type { TensorFlow } from '../tf/context.js';
import type { RowsInput } from './data.js';
import type { ModelSpec } from './models.js';
import type { TRAIN_OPTIONS } from './options.js';

/** One evaluation: wall time counts training and selection, never the evaluation itself. */
export interface CurvePoint {
  /** Epochs done (fractional for evaluations within an epoch). */
  epoch: number;
  /** Parameter updates so far. */
  steps: number;
  /** Wall time since the start, selection included, evaluation excluded. */
  seconds: number;
  /** The part of `seconds` spent selecting subsets (gradients for the selector included). */
  selectionSeconds: number;
  /** The full training set's loss (mean cross-entropy plus the L2 penalty). */
  loss: number;
  /** Accuracy on the full training set. */
  accuracy: number;
  /** Accuracy on the test set, or null without one. */
  testAccuracy: number | null;
  /** Rows trained on in this epoch (all, or the subset's). */
  rows: number;
  phase: 'full' | 'warmup' | 'subset' | 'polish';
}

export interface TrainCallbacks {
  /** After each epoch's evaluation. */
  onEpochEnd?: (point: CurvePoint) => void | Promise<void>;
  /** After each step (called only if given: a per-row solver takes thousands a second). */
  onBatchEnd?: (info: { epoch: number; steps: number }) => void;
  /** After each subset is chosen. */
  onSelection?: (info: { epoch: number; rows: number; seconds: number }) => void;
}

export type TrainOptions = Given<typeof TRAIN_OPTIONS> & {
  /** 'logistic' (binary), 'softmax', 'mlp', or a model of one's own ({ logits, variables } or a tfjs LayersModel). Default softmax. */
  model?: ModelSpec;
  /** MLP hidden layer sizes (default [100]). */
  hidden?: number[];
  /** Training rows: a flat array with dim, an array of rows, or { data, rows, dim } (e.g. a reader's Matrix). */
  x: RowsInput;
  /** One integer class per training row. */
  y: ArrayLike<number>;
  dim?: number;
  xTest?: RowsInput;
  yTest?: ArrayLike<number>;
  /** Options for the craig/adacore selector (metric, optimizer, threads, AdaCore's knobs, ...). */
  selection?: AnySelectorOptions;
  signal?: AbortSignal;
  callbacks?: TrainCallbacks;
  /** The tfjs namespace (default: adacore/tf's, see useTensorFlow). */
  tf?: TensorFlow;
};

export interface TrainResult {
  /** The options in effect (defaults filled in), as plain JSON. */
  options: Record<string, unknown>;
  curve: CurvePoint[];
  finalLoss: number;
  finalAccuracy: number;
  finalTestAccuracy: number | null;
  /** Seconds until the test accuracy first reached targetAccuracy; null if it never did; absent without a target. */
  secondsToTarget?: number | null;
  selectionSeconds: number;
  totalSeconds: number;
  steps: number;
  /** The tfjs backend that trained. */
  backend: string;
}
