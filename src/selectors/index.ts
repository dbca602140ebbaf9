// AdaCore, CRAIG and random selection over rounds, on per-example gradients.
export type {
  AdaCoreOptions, AnySelectorOptions, GradientBatch, GradientSource, Preconditioning, RandomOptions, RoundOptions, Selection,
  SelectionMethod, Selector, SelectorOptions,
} from './types.js';
export { ADACORE_DEFAULTS, PRECONDITIONINGS, SELECTION_METHODS, type ResolvedAdaCoreOptions } from '../options/selectors.js';
export { AdaCoreSelector, type AdaCoreState } from './adacore.js';
export { CraigSelector } from './craig.js';
export { RandomSelector } from './random.js';
export { createSelector } from './create-selector.js';
export { selectionErrors, type SelectionErrors } from './selection-errors.js';
export { softmaxCrossEntropyFromLogits } from './closed-form.js';
