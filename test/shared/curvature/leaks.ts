// No tensor leaks: rounds of every source, autograd and failing calls leave tf.memory().numTensors flat.
import { equal, rejects } from '../assert.ts';
import { allSources, backendSwitch, caseList, problem, softmaxRegression } from './helpers.ts';
import type { CurvatureCase, TfLib } from './types.ts';

export function leakCases(lib: TfLib): CurvatureCase[] {
  const { list, add } = caseList();
  const tf = lib.getTf();
  const use = backendSwitch(lib);

  add('tf: 20 rounds of every source (and failing calls) leave tf.memory().numTensors flat', async () => {
    await use('wasm');
    const p = problem(606, 5, 3, 2);
    const model = softmaxRegression(tf, p, 61);
    try {
      const round = async () => {
        await allSources(lib, p);
        await lib.autogradCurvature({ loss: model.loss, params: [model.W, model.b], x: model.x, y: model.y, probes: 1, seed: 1 });
        await rejects(() => lib.softmaxCrossEntropy({ logits: [[0, Number.NaN], [0, 0]], labels: [0, 1] }), 'NaN logits');
        await rejects(() => lib.autogradCurvature({ loss: () => tf.ones([2]), params: [model.W], x: model.x, y: model.y }), 'vector loss');
      };
      await round();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) {
        await round();
        equal(tf.memory().numTensors, before, `tensors after round ${i + 1}`);
      }
    } finally {
      model.dispose();
    }
  });

  return list;
}
