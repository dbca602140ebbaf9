// adacore's public API.
export { selectCoreset, type Coreset } from './select/select-coreset.js';
export { facilityLocationCost, gradientError } from './metrics.js';
export { classBudgets } from './select/budget.js';
export { referenceSelectCoreset } from './reference/greedy.js';
export { DEFAULTS, METRICS, OPTIMIZERS, type Metric, type Optimizer, type Progress, type SelectOptions } from './select/options.js';
export type { VectorsInput } from './select/vectors.js';
export { AdacoreError } from './errors.js';
export { simdSupported, releaseKernelMemory, useKernelModule } from './kernels/wasm.js';
export { releaseWorkers, workersAvailable } from './parallel/pool.js';
export * from './io/index.js';
export * from './adacore/index.js';
