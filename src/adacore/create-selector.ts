// Methods by name: callers switch between AdaCore, CRAIG and random with one string.
import { AdacoreError } from '../errors.js';
import { AdaCoreSelector } from './adacore-selector.js';
import { CraigSelector } from './craig-selector.js';
import { RandomSelector } from './random-selector.js';
import { SELECTION_METHODS, type AnySelectorOptions, type SelectionMethod, type Selector, type SelectorOptions } from './types.js';

/**
 * A selector for `method`. Every method takes the same options object: each ignores the
 * others' knobs (CRAIG and random AdaCore's beta, hessianPower, ...; AdaCore and CRAIG
 * random's measureCost), so one configuration serves all three.
 */
export function createSelector(method: 'adacore', options?: AnySelectorOptions): AdaCoreSelector;
export function createSelector(method: 'craig', options?: AnySelectorOptions): CraigSelector;
export function createSelector(method: 'random', options?: AnySelectorOptions): RandomSelector;
export function createSelector(method: SelectionMethod, options?: AnySelectorOptions): Selector;
export function createSelector(method: SelectionMethod, options: AnySelectorOptions = {}): Selector {
  switch (method) {
    case 'adacore': return new AdaCoreSelector(options);
    case 'craig': return new CraigSelector(selectionOnly(options));
    case 'random': return new RandomSelector({ ...selectionOnly(options), measureCost: options?.measureCost });
    default:
      throw new AdacoreError(
        'method', `unknown method ${JSON.stringify(method)}; expected one of ${SELECTION_METHODS.join(', ')}`,
      );
  }
}

function selectionOnly(options: AnySelectorOptions): SelectorOptions {
  const { metric, optimizer, seed, epsilon, sampleSize, memoryBudget, partitionSize, oversampling, threads, signal, onProgress, source } = options ?? {};
  return { metric, optimizer, seed, epsilon, sampleSize, memoryBudget, partitionSize, oversampling, threads, signal, onProgress, source };
}
