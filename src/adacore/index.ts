// AdaCore, CRAIG and random selection over rounds, on per-example gradients.
export type {
  AdaCoreOptions, AnySelectorOptions, GradientBatch, GradientSource, Preconditioning, RandomOptions, RoundOptions, Selection,
  SelectionMethod, Selector, SelectorOptions,
} from './types.js';
export { SELECTION_METHODS } from './types.js';
export { ADACORE_DEFAULTS, PRECONDITIONINGS, type ResolvedAdaCoreOptions } from './options.js';
export { AdaCoreSelector, type AdaCoreState } from './adacore-selector.js';
export { CraigSelector } from './craig-selector.js';
export { RandomSelector } from './random-selector.js';
export { createSelector } from './create-selector.js';
export { selectionErrors, type SelectionErrors } from './selection-errors.js';
export { softmaxCrossEntropyFromLogits } from './closed-form.js';
