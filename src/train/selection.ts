// The rows each epoch trains on, by method: all of them; a random subset (fixed, or drawn anew
// each epoch; unweighted, as the baselines are); or a weighted coreset that CRAIG or AdaCore
// selects from the current model, re-selected on schedule with the selector's state (AdaCore's
// curvature average) carried from round to round.
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { createSelector, softmaxCrossEntropyFromLogits, type AnySelectorOptions, type GradientBatch, type Selector } from '../index.js';
import type { TensorFlow } from '../tf/context.js';
import { binaryLogistic, lastLayer } from '../tf/sources/index.js';
import type { LabelledRows } from './data.js';
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
        const { indices } = await selector.select(batch, { labels: data.y, fraction });
        return { indices, weights: undefined };
      },
    };
  }
  const source = settings.source === 'auto' ? (settings.model.kind === 'logistic' ? 'parameters' : 'logits') : settings.source;
  // parameter and last-layer gradients are long, heavy-tailed vectors: one model-wide diagonal
  // preconditions them (per-row diagonals turned confidently wrong rows into heavy medoids)
  const preconditioning = source === 'logits' ? 'per-example' : 'shared';
  const selector: Selector = createSelector(method, { seed: settings.seed, preconditioning, ...settings.selection });
  return {
    async next(epoch) {
      if (epoch % every !== 0) return undefined;
      const batch = await gradientBatch(settings, source);
      const { indices, weights } = await selector.select(batch, { labels: data.y, fraction });
      return { indices, weights };
    },
  };
}

/** The current model's per-row gradients (and Hessian diagonals) from `source`. */
async function gradientBatch({ tf, model, data, x }: PolicySettings, source: Exclude<SelectionSource, 'auto'>): Promise<GradientBatch> {
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
      features.dispose();
    }
  } finally {
    logits.dispose();
  }
}
