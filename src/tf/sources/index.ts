// Gradient sources: per-example gradients and Hessian diagonals, computed with tfjs.
export type { CurvatureBatch, LabelsInput, MatrixInput, SourceOptions } from './types.js';
export {
  softmaxCrossEntropy, binaryLogistic, squaredError, lastLayer, PROBABILITY_TOLERANCE, LAST_LAYER_LAYOUTS,
  type SoftmaxOutputs, type SoftmaxCrossEntropyInput, type BinaryLogisticInput, type SquaredErrorInput,
  type LastLayerInput, type LastLayerLayout,
} from './closed-form.js';
export { autogradCurvature, DEFAULT_PROBES, type AutogradInput, type ExampleLoss } from './autograd.js';
export { rademacher } from './rademacher.js';
