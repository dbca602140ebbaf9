// AdaHessian (Yao et al., AAAI 2021) on minibatches: Adam's update with the second moment taken
// of a Hutchinson estimate of the Hessian diagonal, D = z ⊙ (H z) for a Rademacher z, instead of
// the squared gradient. H z is the gradient of <grad, z> (grad of grad through the model's
// `apply`), so each step costs about three gradients. Defaults as published: beta1 0.9,
// beta2 0.999, epsilon 1e-4, Hessian power 1.
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { rademacher } from '../../tf/sources/rademacher.js';
import { AdacoreError, ensure } from '../../tf/errors.js';
import { HIGHER_ORDER_HINT, higherOrderFixed } from '../../tf/higher-order.js';
import { weightedLossWith } from '../loss.js';
import { minibatchEpoch } from './minibatch.js';
import type { Solver, SolverSettings } from './types.js';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-4;

export function adahessianSolver(settings: SolverSettings): Solver {
  const { tf, model, l2, learningRate, decay, seed } = settings;
  ensure(model.apply !== undefined, 'optimizer', 'adahessian needs second derivatives through the model: the built-in models (logistic, softmax, mlp) have them, a custom model does not');
  const variables = model.variables;
  const first = tf.tidy(() => variables.map((v) => tf.variable(tf.zerosLike(v), false)));
  const second = tf.tidy(() => variables.map((v) => tf.variable(tf.zerosLike(v), false)));
  let t = 0;
  /** H z, or an AdacoreError saying why tfjs could not differentiate the gradient again. */
  const hessianTimes = (product: () => Tensor[]): Tensor[] => {
    try {
      return product();
    } catch (error) {
      if (!/Cannot compute gradient/.test(String((error as Error)?.message))) throw error;
      throw new AdacoreError('optimizer', 'adahessian could not differentiate the gradient a second time (tfjs: '
        + `"${String((error as Error).message).split('\n')[0]}")`
        + (higherOrderFixed(tf) ? '' : `; ${HIGHER_ORDER_HINT}. Use another optimizer (adam, sgd, lbfgs) or adacore/tf`));
    }
  };
  return {
    async epoch(rows, epoch, afterStep) {
      const rate = learningRate * decay ** epoch;
      return minibatchEpoch(settings, rows, epoch, 0x68e31da4, afterStep, ({ x, labels, weights }) => {
        t++;
        const z = variables.map((v, k) => tf.tensor(rademacher(v.size, seed, t * variables.length + k), v.shape));
        const lossOf = (...params: Tensor[]) => weightedLossWith(tf, model, params, x, labels, weights, l2);
        const { value, grads } = tf.valueAndGrads(lossOf)(variables);
        const hz = hessianTimes(() => tf.grads((...params: Tensor[]) => tf.addN(tf.grads(lossOf)(params).map((g, k) => tf.sum(tf.mul(g, z[k])))) as Scalar)(variables));
        const bias1 = 1 - BETA1 ** t, bias2 = 1 - BETA2 ** t;
        variables.forEach((v, k) => {
          const d = tf.mul(z[k], hz[k]);
          first[k].assign(tf.add(tf.mul(BETA1, first[k]), tf.mul(1 - BETA1, grads[k])));
          second[k].assign(tf.add(tf.mul(BETA2, second[k]), tf.mul(1 - BETA2, tf.square(d))));
          const step = tf.div(tf.div(first[k], bias1), tf.add(tf.sqrt(tf.div(second[k], bias2)), EPSILON));
          v.assign(tf.sub(v, tf.mul(rate, step)));
        });
        return value;
      });
    },
    sync() {},
    dispose() { for (const v of [...first, ...second]) v.dispose(); },
  };
}
