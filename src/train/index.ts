// The training room (part of the adacore/tf face): train() on all rows or on coresets, the
// models and solvers it uses, learning-curve charts, and the plain-TS softmax model the demo and
// benchmarks use for gradients. bench/ and examples/ take their models from here.
export { train } from './trainer.js';
export type { CurvePoint, TrainCallbacks, TrainOptions, TrainResult } from './types.js';
export type { RowsInput } from './data.js';
export { TRAIN_OPTIONS, TRAIN_METHODS, SELECTION_SOURCES, type TrainMethod, type SelectionSource } from './options.js';
export { SOLVERS, type SolverName } from './solvers/index.js';
export type { CustomModel, ModelSpec } from './models.js';
export {
  trainSoftmaxRegression, softmaxLogits, softmaxLogitGradients, weightGradientSum,
  type SoftmaxModel, type SoftmaxTraining,
} from './softmax-regression.js';
export { learningCurveChart, learningCurveSvg, type ChartOptions, type ChartPoint, type ChartRun } from './chart.js';
