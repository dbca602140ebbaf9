// The full-batch objective of a linear model (binary logistic or softmax regression) on the rows
// in play, in closed form on tfjs: loss, gradient, Hessian-vector products and, for a binary
// model, the exact Hessian. Parameters are one flat float64 vector theta = [W (dim x K, row-major), b (K)].
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { TensorFlow } from '../../tf/context.js';
import { ensure } from '../../tf/errors.js';
import type { Model } from '../models.js';
import type { RowsInPlay } from './types.js';

export interface LinearObjective {
  size: number;
  /** 1 for a binary model (one logit), else the classes. */
  outputs: number;
  read(): Promise<Float64Array>;
  write(theta: Float64Array): void;
  /** Loss and gradient at theta (theta is written into the model). */
  value(theta: Float64Array): Promise<{ loss: number; gradient: Float64Array }>;
  /** H v at the theta of the last value() call. */
  hessianVector(v: Float64Array): Promise<Float64Array>;
  /** The exact Hessian (size x size) at the last value()'s theta; binary models only. */
  hessian(): Promise<Float64Array>;
  /** Free the objective's tensors. */
  dispose(): void;
}

export function linearObjective(tf: TensorFlow, model: Model, rows: RowsInPlay, l2: number): LinearObjective {
  ensure(model.linear !== undefined, 'optimizer', `full-batch solvers (gd, newton, lbfgs) need a linear model (logistic or softmax), not ${model.kind}`);
  const { weights, bias } = model.linear;
  const [dim, outputs] = weights.shape as [number, number];
  const size = (dim + 1) * outputs;
  const total = rows.weights === undefined ? rows.rows : tf.tidy(() => tf.sum(rows.weights!).dataSync()[0]);
  // c_i = gamma_i / sum gamma: the weighted mean as a column
  const scale = tf.tidy(() => tf.reshape(rows.weights === undefined ? tf.fill([rows.rows], 1 / total) : tf.div(rows.weights, total), [-1, 1])) as Tensor2D;
  const targets = tf.tidy(() => outputs === 1 ? tf.reshape(tf.cast(rows.labels, 'float32'), [-1, 1]) : tf.oneHot(rows.labels, outputs).asType('float32')) as Tensor2D;
  // tfjs's wasm matMul is several times slower with transposeA (7 s against 1 s for X^T D X at
  // 12,000 x 785): transpose X once for the objective's life
  const xT = tf.transpose(rows.x) as Tensor2D;
  let probabilities: Tensor2D | undefined;

  const split = (theta: Float64Array) => ({
    w: tf.tensor2d(Float32Array.from(theta.subarray(0, dim * outputs)), [dim, outputs]),
    b: tf.tensor1d(Float32Array.from(theta.subarray(dim * outputs))),
  });
  const join = async (gw: Tensor2D, gb: import('@tensorflow/tfjs-core').Tensor): Promise<Float64Array> => {
    const out = new Float64Array(size);
    out.set(await gw.data(), 0);
    out.set(await gb.data(), dim * outputs);
    return out;
  };

  return {
    size,
    outputs,
    async read() {
      const out = new Float64Array(size);
      out.set(await weights.data(), 0);
      out.set(await bias.data(), dim * outputs);
      return out;
    },
    write(theta) {
      const { w, b } = split(theta);
      weights.assign(w);
      bias.assign(b);
      w.dispose(); b.dispose();
    },
    async value(theta) {
      this.write(theta);
      probabilities?.dispose();
      const [loss, gw, gb, p] = tf.tidy(() => {
        const z = tf.add(tf.matMul(rows.x, weights), bias) as Tensor2D;
        const p = (outputs === 1 ? tf.sigmoid(z) : tf.softmax(z)) as Tensor2D;
        const perRow = outputs === 1
          ? tf.sub(tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z))))), tf.mul(targets, z))
          : tf.neg(tf.sum(tf.mul(tf.logSoftmax(z), targets), 1, true));
        const residual = tf.mul(tf.sub(p, targets), scale);
        const data = tf.sum(tf.mul(perRow, scale));
        const loss = tf.add(data, tf.mul(0.5 * l2, tf.sum(tf.square(weights))));
        const gw = tf.add(tf.matMul(xT, residual), tf.mul(l2, weights)) as Tensor2D;
        return [loss, gw, tf.sum(residual, 0), p];
      });
      probabilities = p;
      try {
        return { loss: (await loss.data())[0], gradient: await join(gw, gb) };
      } finally {
        loss.dispose(); gw.dispose(); gb.dispose(); // also when a read fails
      }
    },
    async hessianVector(v) {
      ensure(probabilities !== undefined, 'optimizer', 'hessianVector before value');
      const p = probabilities;
      const { w: vw, b: vb } = split(v);
      const [hw, hb] = tf.tidy(() => {
        const dz = tf.add(tf.matMul(rows.x, vw), vb);
        const dr = outputs === 1
          ? tf.mul(tf.mul(p, tf.sub(1, p)), dz)
          : tf.sub(tf.mul(p, dz), tf.mul(p, tf.sum(tf.mul(p, dz), 1, true)));
        const scaled = tf.mul(dr, scale);
        return [tf.add(tf.matMul(xT, scaled), tf.mul(l2, vw)) as Tensor2D, tf.sum(scaled, 0)];
      });
      vw.dispose(); vb.dispose();
      try {
        return await join(hw, hb);
      } finally {
        hw.dispose(); hb.dispose();
      }
    },
    async hessian() {
      ensure(outputs === 1 && probabilities !== undefined, 'optimizer', 'the exact Hessian is for binary models, after value()');
      const p = probabilities;
      const h = tf.tidy(() => {
        const xb = tf.concat([rows.x, tf.ones([rows.rows, 1])], 1) as Tensor2D;
        const c = tf.mul(tf.mul(p, tf.sub(1, p)), scale);
        const hessian = tf.matMul(tf.transpose(tf.mul(xb, c)), xb);
        // the penalty's curvature on the weights, not the bias
        const ridge = tf.concat([tf.fill([dim], l2), tf.zeros([1])]);
        return tf.add(hessian, tf.diag(ridge));
      });
      try {
        return Float64Array.from(await h.data());
      } finally {
        h.dispose();
      }
    },
    dispose() {
      xT.dispose();
      probabilities?.dispose();
      scale.dispose();
      targets.dispose();
    },
  };
}
