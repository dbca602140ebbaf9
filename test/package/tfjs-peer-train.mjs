// The trainer on adacore/tf-peer with the user's @tensorflow/tfjs: AdaCore coresets every epoch
// with Adam; and AdaHessian, which needs second derivatives the stock tfjs engine lacks: a clear
// AdacoreError, not a tfjs stack. Both leave no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { train } from 'adacore/tf-peer';
import { makeData } from './shared-data.mjs';

const { x, y, f } = makeData();
const common = { x, y, dim: f, xTest: x, yTest: y, model: 'mlp', hidden: [8], method: 'adacore', fraction: 0.2, batchSize: 32, epochs: 5, seed: 1, learningRate: 0.02 };
const before = tf.memory().numTensors;
const adam = await train({ ...common, optimizer: 'adam' });
let refused = {};
try {
  await train({ ...common, optimizer: 'adahessian' });
} catch (error) {
  refused = { name: error.name, argument: error.argument, message: error.message };
}
console.log(JSON.stringify({ accuracy: adam.finalTestAccuracy, rounds: adam.curve.length, refused, leaked: tf.memory().numTensors - before }));
