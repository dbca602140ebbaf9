// Per backend (cpu, wasm): the closed-form gradient sources equal tfjs grad and grad-of-grad, and
// autograd + Hutchinson equals the closed forms (its estimate improving with probes, seeded).
import { equal, ok, sameArray } from '../assert.ts';
import {
  allSources, backendSwitch, binaryCrossEntropy, caseList, crossEntropy, denseToOuter, near, problem, reference,
  relativeError, shape, softmaxRegression,
} from './helpers.ts';
import type { CurvatureCase, TfLib } from './types.ts';

export function closedFormCases(lib: TfLib): CurvatureCase[] {
  const { list, add } = caseList();
  const tf = lib.getTf();
  const use = backendSwitch(lib);

  for (const backend of ['cpu', 'wasm']) {
    add(`[${backend}] softmax cross-entropy, binary logistic and squared error equal tfjs grad and grad-of-grad`, async () => {
      await use(backend);
      const p = problem(101);
      const r = await allSources(lib, p);
      const { rows, classes, f } = p;
      const soft = reference(tf, rows, (i) => (z) => crossEntropy(tf, z, p.labels[i], classes), (i) => p.logits[i]);
      for (const key of ['softmaxLogits', 'softmaxProbabilities']) {
        shape(r[key], rows, classes, key);
        near(r[key].gradients, soft.g, `${key} gradients`);
        near(r[key].hessianDiagonals, soft.h, `${key} Hessian diagonals`);
        equal(r[key].backend, backend, `${key} backend`);
      }
      const bin = reference(tf, rows, (i) => (z) => binaryCrossEntropy(tf, tf.sum(z), p.binaryLabels[i]), (i) => [p.binaryLogits[i]]);
      for (const key of ['binaryLogit', 'binaryProbabilities']) {
        shape(r[key], rows, 1, key);
        near(r[key].gradients, bin.g, `${key} gradients`);
        near(r[key].hessianDiagonals, bin.h, `${key} Hessian diagonals`);
      }
      // Logistic regression z = w·x + b + z_i, differentiated with respect to θ = [w, b] at θ = 0,
      // where the logit is the row's: the closed form at that logit with features x.
      const binFeatures = reference(tf, rows, (i) => (theta) => {
        const xb = tf.tensor1d([...p.features[i], 1]);
        return binaryCrossEntropy(tf, tf.add(tf.sum(tf.mul(theta, xb)), p.binaryLogits[i]), p.binaryLabels[i]);
      }, () => new Array(f + 1).fill(0));
      shape(r.binaryFeatures, rows, f + 1, 'binaryFeatures');
      near(r.binaryFeatures.gradients, binFeatures.g, 'binary logistic with features: gradients');
      near(r.binaryFeatures.hessianDiagonals, binFeatures.h, 'binary logistic with features: Hessian diagonals');
      const sqLabels = reference(tf, rows, (i) => (z) => tf.mul(0.5, tf.sum(tf.square(tf.sub(z, tf.tensor1d(Array.from({ length: classes }, (_, c) => (c === p.labels[i] ? 1 : 0))))))), (i) => p.logits[i]);
      shape(r.squaredLabels, rows, classes, 'squaredLabels');
      near(r.squaredLabels.gradients, sqLabels.g, 'squared error (labels): gradients');
      near(r.squaredLabels.hessianDiagonals, sqLabels.h, 'squared error (labels): Hessian diagonals');
      const sqTargets = reference(tf, rows, (i) => (z) => tf.mul(0.5, tf.sum(tf.square(tf.sub(z, tf.tensor1d(p.targets[i]))))), (i) => p.logits[i]);
      near(r.squaredTargets.gradients, sqTargets.g, 'squared error (targets): gradients');
      near(r.squaredTargets.hessianDiagonals, sqTargets.h, 'squared error (targets): Hessian diagonals');
    });

    add(`[${backend}] lastLayer equals tfjs grad and grad-of-grad in the weights and bias (dense and outer layouts)`, async () => {
      await use(backend);
      const p = problem(202);
      const { rows, classes, f } = p;
      const r = await allSources(lib, p);
      // θ = [W (f x c) row-major, b (c)] at W = 0, b = 0 with the row's logits added: z = hW + b + z_i.
      const ref = reference(tf, rows, (i) => (theta) => {
        const W = tf.reshape(tf.slice(theta, [0], [f * classes]), [f, classes]);
        const b = tf.slice(theta, [f * classes], [classes]);
        const z = tf.add(tf.add(tf.matMul(tf.tensor2d([p.features[i]]), W), b), tf.tensor2d([p.logits[i]]));
        return crossEntropy(tf, z, p.labels[i], classes);
      }, () => new Array(f * classes + classes).fill(0));
      const dim = classes * (f + 1);
      shape(r.lastLayerDense, rows, dim, 'dense');
      near(r.lastLayerDense.gradients, ref.g, 'dense gradients');
      near(r.lastLayerDense.hessianDiagonals, ref.h, 'dense Hessian diagonals');
      shape(r.lastLayerOuter, rows, dim, 'outer');
      const outerG = new Float32Array(rows * dim), outerH = new Float32Array(rows * dim);
      for (let i = 0; i < rows; i++) {
        for (let k = 0; k < dim; k++) {
          outerG[i * dim + denseToOuter(k, f, classes)] = ref.g[i * dim + k];
          outerH[i * dim + denseToOuter(k, f, classes)] = ref.h[i * dim + k];
        }
      }
      near(r.lastLayerOuter.gradients, outerG, 'outer gradients');
      near(r.lastLayerOuter.hessianDiagonals, outerH, 'outer Hessian diagonals');
      shape(r.lastLayerNoBias, rows, classes * f, 'no bias');
      const noBiasG: number[] = [], noBiasH: number[] = [];
      for (let i = 0; i < rows; i++) {
        noBiasG.push(...ref.g.slice(i * dim, i * dim + f * classes));
        noBiasH.push(...ref.h.slice(i * dim, i * dim + f * classes));
      }
      near(r.lastLayerNoBias.gradients, noBiasG, 'no-bias gradients (from probabilities)', 1e-4);
      near(r.lastLayerNoBias.hessianDiagonals, noBiasH, 'no-bias Hessian diagonals (from probabilities)', 1e-4);
    });

    add(`[${backend}] autograd: gradients equal lastLayer; Hutchinson's error shrinks from 1 to 64 probes; seeded`, async () => {
      await use(backend);
      const p = problem(303, 6, 3, 2);
      const model = softmaxRegression(tf, p, 31);
      try {
        const logits = model.logits();
        const exact = await lib.lastLayer({ features: model.x, logits, labels: model.y });
        logits.dispose();
        const input = { loss: model.loss, params: [model.W, model.b], x: model.x, y: model.y };
        const one = await lib.autogradCurvature({ ...input, probes: 1, seed: 5 });
        shape(one, p.rows, exact.dim, 'autograd');
        near(one.gradients, exact.gradients, 'autograd gradients vs lastLayer');
        const many = await lib.autogradCurvature({ ...input, probes: 64, seed: 5, batchSize: 4 });
        near(many.gradients, exact.gradients, 'autograd gradients (64 probes, batches of 4) vs lastLayer');
        const e1 = relativeError(one.hessianDiagonals, exact.hessianDiagonals);
        const e64 = relativeError(many.hessianDiagonals, exact.hessianDiagonals);
        ok(e64 < 0.5 * e1 && e64 < 0.4, `Hutchinson relative error should shrink with probes: 1 probe ${e1.toFixed(3)}, 64 probes ${e64.toFixed(3)}`);
        const again = await lib.autogradCurvature({ ...input, probes: 1, seed: 5, batchSize: 2 });
        sameArray(again.hessianDiagonals, one.hessianDiagonals, 'same seed, other batch size: identical estimate');
        const other = await lib.autogradCurvature({ ...input, probes: 1, seed: 6 });
        ok(Array.from(other.hessianDiagonals).some((v, i) => v !== one.hessianDiagonals[i]), 'another seed gives another estimate');
        const gradOnly = await lib.autogradCurvature({ ...input, probes: 0 });
        near(gradOnly.gradients, exact.gradients, 'probes: 0 gradients');
        ok(gradOnly.hessianDiagonals.every((v) => v === 0), 'probes: 0 leaves the Hessian diagonals zero');
      } finally {
        model.dispose();
      }
    });
  }

  return list;
}
