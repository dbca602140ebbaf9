// The weighted training loss: sum_i gamma_i l_i / sum_i gamma_i over the rows in play, plus
// (l2 / 2) |W|^2 on the weight matrices (not the biases). A coreset's weights reach the loss
// here: tfjs's fit() takes no per-row weights, so the step is the trainer's own.
import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { TensorFlow } from '../tf/context.js';
import type { Model } from './models.js';

/** Per-row cross-entropy of the model's logits: sigmoid for one output, softmax otherwise. */
export function rowLosses(tf: TensorFlow, model: Model, logits: Tensor2D, labels: Tensor1D): Tensor1D {
  if (model.outputs === 1) {
    const z = tf.reshape(logits, [-1]) as Tensor1D;
    const y = tf.cast(labels, 'float32');
    // log(1 + e^z) - y z, computed stably
    return tf.sub(tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z))))), tf.mul(y, z)) as Tensor1D;
  }
  const logp = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logp, tf.oneHot(labels, model.outputs).asType('float32')), 1);
  return tf.neg(picked) as Tensor1D;
}

/** The weighted mean loss plus the L2 penalty; `weights` undefined means every row counts 1. */
export function weightedLoss(
  tf: TensorFlow, model: Model, x: Tensor2D, labels: Tensor1D, weights: Tensor1D | undefined, l2: number,
): Scalar {
  const losses = rowLosses(tf, model, model.logits(x), labels);
  const data = weights === undefined ? tf.mean(losses) : tf.div(tf.sum(tf.mul(losses, weights)), tf.sum(weights));
  return (l2 > 0 ? tf.add(data, tf.mul(0.5 * l2, penalty(tf, model))) : data) as Scalar;
}

/** The weighted loss with `params` standing in for the model's variables (model.apply). */
export function weightedLossWith(
  tf: TensorFlow, model: Model, params: Tensor[], x: Tensor2D, labels: Tensor1D, weights: Tensor1D | undefined, l2: number,
): Scalar {
  const losses = rowLosses(tf, model, model.apply!(params, x), labels);
  const data = weights === undefined ? tf.mean(losses) : tf.div(tf.sum(tf.mul(losses, weights)), tf.sum(weights));
  return (l2 > 0 ? tf.add(data, tf.mul(0.5 * l2, penaltyOf(tf, params))) : data) as Scalar;
}

/** |W|^2 over the weight matrices (rank >= 2: biases are not penalised). */
export function penalty(tf: TensorFlow, model: Model): Scalar {
  return penaltyOf(tf, model.variables);
}

function penaltyOf(tf: TensorFlow, params: Tensor[]): Scalar {
  const matrices = params.filter((v) => v.rank >= 2);
  return (matrices.length === 0 ? tf.scalar(0) : tf.addN(matrices.map((v) => tf.sum(tf.square(v))))) as Scalar;
}

/** The class each row's logits predict. */
export function predictions(tf: TensorFlow, model: Model, logits: Tensor2D): Tensor1D {
  return (model.outputs === 1 ? tf.cast(tf.greater(tf.reshape(logits, [-1]), 0), 'int32') : tf.argMax(logits, 1)) as Tensor1D;
}

/** Loss (unweighted mean + penalty) and accuracy of the model on a whole set, read back as numbers. */
export async function evaluate(tf: TensorFlow, model: Model, x: Tensor2D, labels: Tensor1D, l2: number): Promise<{ loss: number; accuracy: number }> {
  const [loss, correct] = tf.tidy(() => {
    const logits = model.logits(x);
    const data = tf.mean(rowLosses(tf, model, logits, labels));
    const total = l2 > 0 ? tf.add(data, tf.mul(0.5 * l2, penalty(tf, model))) : data;
    return [total, tf.sum(tf.cast(tf.equal(predictions(tf, model, logits), labels), 'float32'))];
  });
  let lossValue: ArrayLike<number>, correctValue: ArrayLike<number>;
  try {
    [lossValue, correctValue] = await Promise.all([loss.data(), correct.data()]);
  } finally {
    loss.dispose(); // also when a read fails (a lost WebGPU device rejects it)
    correct.dispose();
  }
  return { loss: lossValue[0], accuracy: correctValue[0] / x.shape[0] };
}
