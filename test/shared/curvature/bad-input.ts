// Bad input to the tfjs layer: a clear AdacoreError naming the argument (and the row) for labels,
// logits, probabilities, shapes, layout, and autograd's y, loss, params and probes.
import { backendSwitch, caseList, isAdacoreError, problem, softmaxRegression } from './helpers.ts';
import type { CurvatureCase, Tensor, TfLib } from './types.ts';

export function badInputCases(lib: TfLib): CurvatureCase[] {
  const { list, add } = caseList();
  const tf = lib.getTf();
  const use = backendSwitch(lib);

  add('tf: bad input gives an AdacoreError naming the argument and the row', async () => {
    await use('cpu');
    const logits = [[1, 2, 3], [0, 0, 0], [1, 1, 1], [2, 0, 1]];
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits, labels: [0, 1, 2, 3] }), 'labels', ['row 3', 'label 3', '0..2'], 'label outside the classes');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits, labels: [0, 1.5, 2, 0] }), 'labels', ['row 1'], 'fractional label');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits: [[1, 2, 3], [0, Number.NaN, 0], [1, 1, 1], [0, 0, 0]], labels: [0, 1, 2, 0] }),
      'logits', ['row 1', 'NaN'], 'NaN logit');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ probabilities: [[0.2, 0.3, 0.5], [0.5, 0.4, 0.3]], labels: [0, 1] }),
      'probabilities', ['row 1', 'sums to'], 'probabilities that do not sum to 1');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ probabilities: [[0.2, 0.3, 0.5], [1.2, -0.2, 0]], labels: [0, 1] }),
      'probabilities', ['row 1', 'negative'], 'negative probability');
    await isAdacoreError(lib, () => lib.binaryLogistic({ probabilities: [0.5, 1.5], labels: [0, 1] }), 'probabilities', ['row 1'], 'binary probability above 1');
    await isAdacoreError(lib, () => lib.binaryLogistic({ logits: [0.5, 1.5], labels: [0, 2] }), 'labels', ['row 1', 'label 2'], 'binary label 2');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits, labels: [0, 1, 2] }), 'logits',
      ['4 rows', '3 labels', 'does not match'], 'logits rows vs labels');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits: new Float32Array(10), labels: [0, 1, 0] }), 'logits',
      ['not a multiple', 'does not match'], 'flat logits vs labels');
    const zt = tf.zeros([3, 4]);
    try {
      await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits: zt, labels: [0, 1] }), 'logits', ['3 rows', '2 labels'], 'tensor logits vs labels');
      await isAdacoreError(lib, () => lib.squaredError({ outputs: zt, targets: [[1, 2, 3], [1, 2, 3], [1, 2, 3]] }), 'targets',
        ['3 columns', 'outputs have 4', 'does not match'], 'targets vs outputs');
    } finally {
      zt.dispose();
    }
    await isAdacoreError(lib, () => lib.lastLayer({ features: [[1], [2]], logits, labels: [0, 1, 2, 0] }), 'features', ['2 rows', '4 labels'], 'features vs labels');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits, probabilities: logits, labels: [0, 1, 2, 0] }), 'probabilities', ['not both'], 'both outputs');
    await isAdacoreError(lib, () => lib.lastLayer({ features: [[1]], logits: [[1, 2]], labels: [0], layout: 'diagonal' }), 'layout', ['dense'], 'unknown layout');
    const p = problem(707, 4, 3, 2);
    const model = softmaxRegression(tf, p, 71);
    const y3 = tf.tensor1d([0, 1, 2], 'int32');
    try {
      const input = { loss: model.loss, params: [model.W, model.b], x: model.x, y: model.y };
      await isAdacoreError(lib, () => lib.autogradCurvature({ ...input, y: y3 }), 'y', ['3 entries', '4 examples'], 'autograd labels vs inputs');
      await isAdacoreError(lib, () => lib.autogradCurvature({ ...input, loss: ([w]: Tensor[], xi: Tensor) => tf.matMul(xi, w) }), 'loss', ['shape [1, 3]', 'scalar'], 'non-scalar loss');
      const unrelated = tf.zeros([2]);
      try {
        await isAdacoreError(lib, () => lib.autogradCurvature({ ...input, params: [unrelated], loss: (_: Tensor[], xi: Tensor, yi: Tensor) => model.loss([model.W, model.b], xi, yi) }),
          'params', ['does not depend'], 'params the loss does not read');
      } finally {
        unrelated.dispose();
      }
      await isAdacoreError(lib, () => lib.autogradCurvature({ ...input, probes: -1 }), 'probes', ['non-negative'], 'negative probes');
      await isAdacoreError(lib, () => lib.autogradCurvature({
        ...input, loss: ([w, c]: Tensor[], xi: Tensor, yi: Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(yi, p.classes), tf.add(tf.matMul(xi, w), c)),
      }), 'loss', ['customGrad'], 'a loss tfjs cannot differentiate twice');
    } finally {
      model.dispose();
      y3.dispose();
    }
  });

  return list;
}
