/**
 * adacore's public API (the package's main entry, dist/adacore.mjs): coreset selection
 * (selectCoreset), the selectors that run it over training rounds (AdaCoreSelector, CraigSelector,
 * RandomSelector), the options, quality measures and data readers.
 * @module adacore
 */
export { selectCoreset, selectionWorkersAvailable as workersAvailable, type Coreset } from './coreset/select-coreset.js';
export type { RowBlock, RowStream } from './coreset/stream.js';
export { selectPartitioned, type PartitionedOptions } from './coreset/select-partitioned.js';
export * as partitionSteps from './coreset/partition-face.js';
export type { Candidates, MergeKind, PartitionCounts, PartitionOptions, PartitionPlan, PartitionRows } from './coreset/partition-steps.js';
export { facilityLocationCost } from './quality/facility-location-cost.js';
export { gradientError } from './quality/gradient-error.js';
export { classBudgets } from './select/budget.js';
export { referenceSelectCoreset } from './reference/greedy.js';
export {
  DEFAULTS, SELECT_OPTIONS, BUDGET_OPTIONS, resolveOptions, resolveBudget, type OptimizerChoice, type ResolvedOptions, type SelectOptions,
} from './options/select.js';
export {
  ADACORE_OPTIONS, METHOD_OPTION, RANDOM_OPTIONS, SELECTOR_OPTIMIZER, resolveAdaCoreOptions, resolveSelectorOptions, type AdaCoreKnobs,
} from './options/selectors.js';
export { option, resolveDeclared, checkOption, OptionError, type OptionSpec, type Given, type Resolved, type Declarations, type ValueOf } from './options/declare.js';
export { mulberry32 } from './select/random.js';
export { METRICS, type Metric } from './select/metric.js';
export { OPTIMIZERS, type Optimizer } from './optimizers/registry.js';
export type { Progress } from './select/progress.js';
export type { VectorsInput } from './select/vectors.js';
export { AdacoreError } from './errors.js';
export { simdSupported, releaseKernelMemory, useKernelModule } from './kernels/wasm.js';
export { releaseWorkers } from './parallel/pool.js';
export * from './io/index.js';
export * from './selectors/index.js';
