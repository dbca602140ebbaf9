// The training room: models and (next) the trainer that trains on coresets. bench/ and
// examples/ take their models from here, never from each other.
export {
  trainSoftmaxRegression, softmaxLogits, softmaxLogitGradients, weightGradientSum,
  type SoftmaxModel, type SoftmaxTraining,
} from './softmax-regression.js';
