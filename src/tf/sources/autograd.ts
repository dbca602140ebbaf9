// Per-example gradients of any tfjs loss by autograd, and Hessian diagonals by Hutchinson's
// estimator: diag(H) ≈ (1/m) Σ_p u_p ⊙ (H u_p) with Rademacher u_p, where H u is the gradient of
// ⟨∇ℓ, u⟩ (grad of grad). One example at a time (tfjs has no vectorising map), in batches of rows
// whose tensors are freed before the next batch, writing into the output Float32Arrays: memory
// stays bounded by the batch, whatever the row count.
import { HIGHER_ORDER_HINT, higherOrderFixed } from '../higher-order.js';
import type { Tensor, TensorFlow } from '../context.js';
import { readyTf } from '../context.js';
import { recoverDeviceLoss } from '../device-loss.js';
import { AdacoreError, ensure, messageOf } from '../errors.js';
import { runBatches } from './batches.js';
import { BATCH_FLOATS, isTensor } from './inputs.js';
import { rademacher } from './rademacher.js';
import type { CurvatureBatch, SourceOptions } from './types.js';

/**
 * One example's loss: `x` and `y` are that example's rows of the inputs, with a leading batch
 * dimension of 1 (shape [1, ...]), so `model.apply(x)` works as is. `params` are the tensors the
 * gradients are taken with respect to, as passed in; the function may use them or close over a
 * model that reads the same variables. It must return a scalar (a tensor of size 1).
 */
export type ExampleLoss = (params: Tensor[], x: Tensor, y: Tensor) => Tensor;

export interface AutogradInput extends SourceOptions {
  /** The per-example loss. */
  loss: ExampleLoss;
  /**
   * The parameters to differentiate: tf.Variables (a tfjs-layers model's `trainableWeights.map(w => w.read())`)
   * or tensors. Row layout: each parameter flattened row-major, concatenated in this order.
   */
  params: Tensor[];
  /** The inputs, one example per entry of the first dimension. */
  x: Tensor;
  /** The targets or labels, one per entry of the first dimension (the same count as x). */
  y: Tensor;
  /** Rademacher probes per example (default 1); 0 computes gradients only (hessianDiagonals all zero). */
  probes?: number;
  /** Seed of the probes, an integer in [0, 2^32) (default 0). Example i always gets the same probes. */
  seed?: number;
}

/** Autograd's default probe count. */
export const DEFAULT_PROBES = 1;

function flat(tf: TensorFlow, parts: Tensor[]): Tensor {
  const flats = parts.map((t) => tf.reshape(t, [-1]));
  return flats.length === 1 ? flats[0] : tf.concat(flats, 0);
}

/** tfjs's own errors, made clear where a caller can act on them. */
function explain(error: unknown): unknown {
  if (error instanceof AdacoreError) return error;
  const message = messageOf(error);
  if (/gradient function not found/i.test(message)) {
    return new AdacoreError('tf', `${message} This tfjs has no gradients registered: pass the namespace of @tensorflow/tfjs `
      + "(which registers them), import '@tensorflow/tfjs-core/dist/register_all_gradients' through a bundler, or use the bundled tfjs.");
  }
  return error;
}

/**
 * Per-example gradients of `loss` with respect to `params` by autograd, and the Hessian diagonal
 * by Hutchinson's estimator with `probes` seeded Rademacher probes per example. dim = the total
 * size of `params`. Cost: one forward and backward pass per example plus one
 * grad-of-grad per probe; for the softmax layer on top of a network, lastLayer gives the same
 * gradients and the exact diagonal far faster.
 */
export async function autogradCurvature(input: AutogradInput): Promise<CurvatureBatch> {
  return recoverDeviceLoss('autogradCurvature', input?.tf, () => autogradCurvatureOnce(input));
}

/** autogradCurvature itself, once (recoverDeviceLoss runs it again if the WebGPU device is lost). */
async function autogradCurvatureOnce(input: AutogradInput): Promise<CurvatureBatch> {
  ensure(input != null && typeof input === 'object', 'input', 'expected { loss, params, x, y }');
  const tf = await readyTf(input.tf);
  const { loss, params, x, y } = input;
  ensure(typeof loss === 'function', 'loss', 'expected a function (params, x, y) => scalar loss of one example');
  ensure(Array.isArray(params) && params.length > 0, 'params', 'expected a non-empty array of tensors or tf.Variables');
  params.forEach((p, k) => {
    ensure(isTensor(p), 'params', `entry ${k} is not a tensor`);
    ensure(p.dtype === 'float32', 'params', `entry ${k} has dtype ${p.dtype}; only float32 parameters have gradients`);
    ensure(!p.isDisposed, 'params', `entry ${k} is disposed`);
  });
  ensure(isTensor(x) && x.shape.length >= 1, 'x', 'expected a tensor with one example per entry of its first dimension');
  ensure(isTensor(y) && y.shape.length >= 1, 'y', 'expected a tensor with one target per entry of its first dimension');
  const rows = x.shape[0];
  ensure(rows > 0, 'x', 'has no examples');
  ensure(y.shape[0] === rows, 'y',
    `has ${y.shape[0]} entries but x has ${rows} examples: the labels do not match the model inputs (shape [${y.shape.join(', ')}] vs [${x.shape.join(', ')}])`);
  const probes = input.probes ?? DEFAULT_PROBES;
  ensure(Number.isInteger(probes) && probes >= 0, 'probes', `expected a non-negative integer, got ${probes}`);
  const seed = input.seed ?? 0;
  ensure(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, 'seed', `expected an integer in [0, 2^32), got ${seed}`);
  const sizes = params.map((p) => p.size);
  const dim = sizes.reduce((a, b) => a + b, 0);
  let batchSize = input.batchSize;
  if (batchSize !== undefined) ensure(Number.isInteger(batchSize) && batchSize > 0, 'batchSize', `expected a positive integer, got ${batchSize}`);
  else batchSize = Math.max(1, Math.min(1024, Math.floor(BATCH_FLOATS / dim)));

  const engine = tf.engine();
  const fixed = higherOrderFixed(tf);
  /**
   * ∇f with respect to params, zeros where f does not depend on one. Throws if f depends on none:
   * for the loss (`first`), the params are not what it reads; for ⟨∇ℓ, u⟩, the gradient has no
   * path back to the params that tfjs can differentiate.
   */
  const gradientsOf = (f: () => Tensor, first: boolean): Tensor[] => {
    const { grads } = engine.gradients(f, params, undefined, true);
    if (grads.every((g) => g == null)) {
      if (first) {
        throw new AdacoreError('params', 'the loss does not depend on any of params: pass the tensors or tf.Variables the loss '
          + 'reads (for a tfjs-layers model, model.trainableWeights.map(w => w.read()))');
      }
      throw new AdacoreError('loss', 'its gradient does not depend on params, so tfjs finds no Hessian-vector product: either '
        + 'the loss is linear in them, or it is built from tf.customGrad ops (tf.losses.softmaxCrossEntropy among them), '
        + 'whose tfjs gradients cannot be differentiated again. Write the loss with elementary ops, for example '
        + 'tf.neg(tf.sum(tf.mul(yOneHot, tf.logSoftmax(logits)))), or pass probes: 0 for gradients only'
        + (fixed ? '' : `. (Also, ${HIGHER_ORDER_HINT}.)`));
    }
    return params.map((p, k) => grads[k] ?? tf.zerosLike(p));
  };
  const xRest = x.shape.slice(1).map(() => -1), yRest = y.shape.slice(1).map(() => -1);

  /** [g, diag] of example `row`, flat (dim). */
  const example = (row: number): [Tensor, Tensor] => {
    const xi = tf.slice(x, [row, ...xRest.map(() => 0)], [1, ...xRest]);
    const yi = tf.slice(y, [row, ...yRest.map(() => 0)], [1, ...yRest]);
    const f = () => {
      const value = loss(params, xi, yi);
      if (!isTensor(value)) throw new AdacoreError('loss', `returned ${typeof value}, not a tensor: it must return the scalar loss of one example`);
      if (value.size !== 1) {
        throw new AdacoreError('loss', `returned shape [${value.shape.join(', ')}] for one example; it must return a scalar `
          + '(does the model output match the labels?)');
      }
      return tf.reshape(value, []);
    };
    if (probes === 0) return [flat(tf, gradientsOf(f, true)), tf.zeros([dim])];
    const signs = rademacher(probes * dim, seed, row);
    let g: Tensor | undefined;
    let sum: Tensor | undefined;
    try {
      for (let p = 0; p < probes; p++) {
        const u = tf.split(tf.tensor1d(signs.subarray(p * dim, (p + 1) * dim)), sizes).map((part, k) => tf.reshape(part, params[k].shape));
        const hu = gradientsOf(() => {
          const grads = gradientsOf(f, true);
          if (p === 0) g = tf.keep(flat(tf, grads));
          return tf.addN(grads.map((gk, k) => tf.sum(tf.mul(gk, u[k]))));
        }, false);
        const uhu = flat(tf, hu.map((h, k) => tf.mul(u[k], h)));
        sum = sum === undefined ? uhu : tf.add(sum, uhu);
      }
      const gradient = tf.clone(g!);
      return [gradient, probes === 1 ? sum! : tf.div(sum!, probes)];
    } finally {
      g?.dispose();
    }
  };

  try {
    return await runBatches(tf, rows, dim, batchSize, (r0, r1) => {
      const gs: Tensor[] = [], hs: Tensor[] = [];
      for (let row = r0; row < r1; row++) {
        const [g, h] = tf.tidy(() => example(row));
        gs.push(g);
        hs.push(h);
      }
      return { gradients: tf.stack(gs), hessianDiagonals: tf.stack(hs) };
    });
  } catch (error) {
    throw explain(error);
  }
}
