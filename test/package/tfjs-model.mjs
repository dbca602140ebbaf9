// A tfjs user's model: a Sequential MLP trained one epoch on the seeded data (seeded initialisers,
// no shuffling), so the features and logits are the same on every run.
import { makeData } from './shared-data.mjs';

export async function trainModel(tf) {
  const { x: xs, y: ys, n, f, classes } = makeData();
  const model = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [f], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
    tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
  ] });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor2d(xs, [n, f]);
  const target = tf.tensor1d(ys, 'float32');
  await model.fit(x, target, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
  target.dispose();
  const hidden = tf.model({ inputs: model.inputs, outputs: model.layers[0].output });
  return { model, x, labels: ys, features: hidden.predict(x), logits: model.predict(x) };
}
