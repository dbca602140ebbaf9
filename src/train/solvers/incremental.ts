// Incremental gradient with batch size 1 on a linear model (CRAIG's convex setting): each step
// takes one row, in a seeded random order, and moves by learningRate x its weight x its
// gradient (so a coreset row that stands for gamma rows moves the model gamma times as far).
// tfjs spends 0.1 to 1 ms dispatching each op, so one op per row would be dispatch alone: the
// steps run here in JavaScript on float64 parameters (about 2 (dim + 1) K multiply-adds a row),
// written back into the model's variables when the trainer evaluates.
import { mulberry32 } from '../../index.js';
import { ensure } from '../../tf/errors.js';
import { checkFinite } from './checks.js';
import { permutation } from './minibatch.js';
import type { Solver, SolverSettings } from './types.js';

export function incrementalSolver(settings: SolverSettings): Solver {
  const { tf, model, l2, learningRate, decay, seed } = settings;
  ensure(model.linear !== undefined, 'optimizer', `incremental gradient needs a linear model (logistic or softmax), not ${model.kind}`);
  const { weights, bias } = model.linear;
  const [dim, outputs] = weights.shape as [number, number];
  // W row-major (dim x outputs), then b
  const theta = new Float64Array((dim + 1) * outputs);
  theta.set(weights.dataSync(), 0);
  theta.set(bias.dataSync(), dim * outputs);
  const z = new Float64Array(outputs);
  let dirty = false;
  // W = scale x theta[0, dim x outputs): the L2 penalty's shrink of all of W is one multiplication
  let scale = 1;

  return {
    async epoch(rows, epoch, afterStep) {
      const rate = learningRate * decay ** epoch;
      const order = permutation(rows.rows, mulberry32((seed ^ Math.imul(epoch + 1, 0x27d4eb2d)) >>> 0));
      const { xArray: x, labelArray: y, weightArray: gamma } = rows;
      const biasAt = dim * outputs;
      let lossSum = 0;
      for (let t = 0; t < order.length; t++) {
        const i = order[t];
        const base = i * dim;
        if (outputs === 1) {
          // binary: one dot product (the common case, kept free of the inner class loop)
          let dot = 0;
          for (let j = 0; j < dim; j++) dot += x[base + j] * theta[j];
          z[0] = dot;
        } else {
          for (let k = 0; k < outputs; k++) z[k] = 0;
          for (let j = 0; j < dim; j++) {
            const v = x[base + j];
            if (v !== 0) for (let k = 0; k < outputs; k++) z[k] += v * theta[j * outputs + k];
          }
        }
        for (let k = 0; k < outputs; k++) z[k] = scale * z[k] + theta[biasAt + k];
        // the residual dl/dz (sigmoid or softmax minus the label), into z
        lossSum += residual(z, y[i], outputs);
        const step = rate * (gamma === undefined ? 1 : gamma[i]);
        if (l2 > 0) {
          scale *= 1 - step * l2;
          if (!(scale > 1e-6)) { for (let p = 0; p < biasAt; p++) theta[p] *= scale; scale = 1; }
        }
        const move = step / scale;
        if (outputs === 1) {
          const m = move * z[0];
          for (let j = 0; j < dim; j++) theta[j] -= m * x[base + j];
        } else {
          for (let j = 0; j < dim; j++) {
            const v = x[base + j];
            if (v !== 0) for (let k = 0; k < outputs; k++) theta[j * outputs + k] -= move * v * z[k];
          }
        }
        for (let k = 0; k < outputs; k++) theta[biasAt + k] -= step * z[k];
        dirty = true;
        if ((t & 1023) === 1023) checkFinite(lossSum, epoch, t);
        const pending = afterStep();
        if (pending) await pending;
      }
      for (let p = 0; p < biasAt; p++) theta[p] *= scale;
      scale = 1;
      checkFinite(lossSum, epoch, order.length - 1);
      return order.length;
    },
    sync() {
      if (!dirty) return;
      const w = tf.tensor2d(Float32Array.from(theta.subarray(0, dim * outputs), (v) => v * scale), [dim, outputs]);
      const b = tf.tensor1d(Float32Array.from(theta.subarray(dim * outputs)));
      weights.assign(w);
      bias.assign(b);
      w.dispose(); b.dispose();
      dirty = false;
    },
    dispose() {},
  };
}

/** Turns logits z into dl/dz in place (sigmoid: sigma - y; softmax: p - onehot); returns the row's loss. */
function residual(z: Float64Array, label: number, outputs: number): number {
  if (outputs === 1) {
    const v = z[0];
    const loss = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - label * v;
    z[0] = 1 / (1 + Math.exp(-v)) - label;
    return loss;
  }
  let largest = -Infinity;
  for (let k = 0; k < outputs; k++) largest = Math.max(largest, z[k]);
  let total = 0;
  for (let k = 0; k < outputs; k++) { z[k] = Math.exp(z[k] - largest); total += z[k]; }
  const loss = Math.log(total) - Math.log(z[label]);
  for (let k = 0; k < outputs; k++) z[k] /= total;
  z[label] -= 1;
  return loss;
}
