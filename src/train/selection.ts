// The rows each epoch trains on, by method: all of them; a random subset (fixed, or drawn anew
// each epoch; unweighted, as the baselines are); or a weighted coreset that CRAIG or AdaCore
// selects from the current model, re-selected on schedule with the selector's state (AdaCore's
// curvature average) carried from round to round.
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { createSelector, mulberry32, softmaxCrossEntropyFromLogits, type AnySelectorOptions, type GradientBatch, type Selector } from '../index.js';
import type { TensorFlow } from '../tf/context.js';
import { AdacoreError } from '../tf/errors.js';
import { binaryLogistic, lastLayer } from '../tf/sources/index.js';
import type { LabelledRows } from './data.js';
import { hutchinsonLastLayer } from './hutchinson.js';
import type { Model } from './models.js';
import type { SelectionSource, TrainMethod } from './options.js';

export interface Subset {
  /** Rows of the training set, ascending or in selection order. */
  indices: Int32Array;
  /** The coreset's weights (cluster sizes, summing to n), or undefined for an unweighted subset. */
  weights: Float32Array | undefined;
}

export interface SubsetPolicy {
  /** The subset for `epoch` (0-based, counted from the first subset epoch), or undefined to keep the last one. */
  next(epoch: number): Promise<Subset | undefined>;
  /** Free what the policy keeps between rounds (the sketch source's projected features). */
  dispose?(): void;
}

export interface PolicySettings {
  tf: TensorFlow;
  model: Model;
  data: LabelledRows;
  x: Tensor2D;
  method: Exclude<TrainMethod, 'full'>;
  fraction: number;
  every: number;
  seed: number;
  source: SelectionSource;
  /** Passed to the selector (metric, optimizer, threads, AdaCore's knobs, ...). */
  selection: AnySelectorOptions;
  /** The run's abort signal: it ends a selection under way, not only the next step. */
  signal?: AbortSignal;
}

export function subsetPolicy(settings: PolicySettings): SubsetPolicy {
  const { method, fraction, every, data } = settings;
  if (method === 'random' || method === 'random-epoch') {
    // the random selector's per-class draws with the same class budgets as the coresets, unweighted
    const selector = createSelector('random', { seed: settings.seed });
    const batch = { gradients: new Float32Array(data.rows), rows: data.rows, dim: 1 };
    return {
      async next(epoch) {
        if (method === 'random' && epoch > 0) return undefined;
        const { indices } = await selector.select(batch, { labels: data.y, fraction, signal: settings.signal });
        return { indices, weights: undefined };
      },
    };
  }
  // binary logistic: the sketched parameter gradient (the logit gradient is one number per row,
  // blind to the features; the full parameter gradient costs 8 to 10 times more to cluster);
  // softmax and networks: the logit gradients (a sketch of 10 classes is 320 values a row)
  const source = settings.source === 'auto' ? (settings.model.kind === 'logistic' ? 'sketch' : 'logits') : settings.source;
  // parameter, sketch and last-layer gradients are long, heavy-tailed vectors: one model-wide diagonal
  // preconditions them (per-row diagonals turned confidently wrong rows into heavy medoids)
  const preconditioning = source === 'logits' ? 'per-example' : 'shared';
  const selector: Selector = createSelector(method, { seed: settings.seed, preconditioning, ...settings.selection });
  let sketch: Tensor2D | undefined;
  let round = 0;
  return {
    async next(epoch) {
      if (epoch % every !== 0) return undefined;
      let batch: GradientBatch;
      if (source === 'sketch') {
        sketch ??= sketchedFeatures(settings);
        batch = await sketchedBatch(settings, sketch);
      } else if (source === 'hutchinson') batch = await hutchinsonBatch(settings, round++);
      else batch = await gradientBatch(settings, source);
      const { indices, weights } = await selector.select(batch, { labels: data.y, fraction, signal: settings.signal });
      return { indices, weights };
    },
    dispose() { sketch?.dispose(); },
  };
}

/** Dimensions of the features' random projection for the sketch source. */
export const SKETCH_DIM = 32;

/**
 * u_i = B^T [x_i, 1] for a seeded Gaussian B ((dim + 1) x SKETCH_DIM, scaled 1 / sqrt(m)): a
 * Johnson-Lindenstrauss projection, so distances between the parameter gradients r_i ⊗ [x_i, 1]
 * are kept (in expectation) by r_i ⊗ u_i, whose length is classes x 32 instead of classes x 785.
 */
function sketchedFeatures({ tf, data, x, model, seed }: PolicySettings): Tensor2D {
  if (model.linear === undefined) throw new AdacoreError('source', `the sketch source is for linear models (logistic, softmax), not ${model.kind}`);
  const next = mulberry32((seed ^ 0x5bd1e995) >>> 0);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next() / 2 ** 32)) * Math.cos((2 * Math.PI * next()) / 2 ** 32);
  const scale = 1 / Math.sqrt(SKETCH_DIM);
  const b = Float32Array.from({ length: (data.dim + 1) * SKETCH_DIM }, () => scale * normal());
  return tf.tidy(() => {
    const projection = tf.tensor2d(b, [data.dim + 1, SKETCH_DIM]);
    const weights = tf.slice(projection, [0, 0], [data.dim, SKETCH_DIM]);
    const bias = tf.slice(projection, [data.dim, 0], [1, SKETCH_DIM]);
    return tf.add(tf.matMul(x, weights), bias) as Tensor2D;
  });
}

/** The sketched parameter gradients r_i ⊗ u_i and Hessian diagonals (p (1 - p)) ⊗ u_i^2 of the current model. */
async function sketchedBatch({ tf, model, data, x }: PolicySettings, u: Tensor2D): Promise<GradientBatch> {
  const outputs = model.outputs;
  const [g, h] = tf.tidy(() => {
    const z = model.logits(x);
    const p = outputs === 1 ? tf.sigmoid(z) : tf.softmax(z);
    const y = outputs === 1 ? tf.reshape(tf.cast(tf.tensor1d(data.y, 'int32'), 'float32'), [-1, 1]) : tf.oneHot(tf.tensor1d(data.y, 'int32'), outputs).asType('float32');
    const r = tf.sub(p, y);
    const s = tf.mul(p, tf.sub(1, p));
    // (rows, K, 1) x (rows, 1, m) -> (rows, K m): class-major blocks of m
    const outer = (a: import('@tensorflow/tfjs-core').Tensor, v: import('@tensorflow/tfjs-core').Tensor) =>
      tf.reshape(tf.mul(tf.expandDims(a, 2), tf.expandDims(v, 1)), [data.rows, outputs * SKETCH_DIM]);
    return [outer(r, u), outer(s, tf.square(u))];
  });
  try {
    return {
      gradients: (await g.data()) as Float32Array, hessianDiagonals: (await h.data()) as Float32Array,
      rows: data.rows, dim: outputs * SKETCH_DIM,
    };
  } finally {
    g.dispose(); h.dispose();
  }
}

/** The last layer's gradients with Hutchinson's estimates of their Hessian diagonals. */
async function hutchinsonBatch({ tf, model, data, x, seed }: PolicySettings, round: number): Promise<GradientBatch> {
  const [logits, features] = tf.tidy(() => [model.logits(x), (model.features ?? ((rows: Tensor2D) => rows))(x)]);
  try {
    return await hutchinsonLastLayer({ tf, features, logits, labels: data.y, seed, round });
  } finally {
    logits.dispose();
    if (features !== x) features.dispose(); // a linear model's features are x itself
  }
}

/** The current model's per-row gradients (and Hessian diagonals) from `source`. */
async function gradientBatch({ tf, model, data, x }: PolicySettings, source: Exclude<SelectionSource, 'auto' | 'sketch' | 'hutchinson'>): Promise<GradientBatch> {
  const logits = tf.tidy(() => model.logits(x));
  try {
    if (source === 'logits') {
      const z = (await logits.data()) as Float32Array;
      if (model.outputs > 1) return softmaxCrossEntropyFromLogits(z, data.rows, model.outputs, data.y);
      return await binaryLogistic({ logits, labels: data.y, tf });
    }
    if (source === 'parameters') {
      if (model.outputs === 1) return await binaryLogistic({ logits, labels: data.y, features: x, tf });
      return await lastLayer({ logits, labels: data.y, features: x, tf });
    }
    const features = tf.tidy(() => (model.features ?? ((rows: Tensor2D) => rows))(x));
    try {
      return model.outputs === 1
        ? await binaryLogistic({ logits, labels: data.y, features, tf })
        : await lastLayer({ logits, labels: data.y, features, tf });
    } finally {
      if (features !== x) features.dispose(); // a linear model's features are x itself
    }
  } finally {
    logits.dispose();
  }
}
