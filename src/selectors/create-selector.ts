// Methods by name: callers switch between AdaCore, CRAIG and random with one string.
import { checkOption } from '../options/declare.js';
import { METHOD_OPTION } from '../options/selectors.js';
import { AdaCoreSelector } from './adacore.js';
import { CraigSelector } from './craig.js';
import { RandomSelector } from './random.js';
import type { AnySelectorOptions, SelectionMethod, Selector } from './types.js';

/** One constructor per method name: a new method is a class and a line here. */
const SELECTORS: Record<SelectionMethod, new (options: AnySelectorOptions) => Selector> = {
  adacore: AdaCoreSelector,
  craig: CraigSelector,
  random: RandomSelector,
};

/**
 * A selector for `method`. Every method takes the same options object: each reads only the
 * options it declares (CRAIG and random ignore AdaCore's beta, hessianPower, ...; AdaCore and
 * CRAIG random's measureCost), so one configuration serves all three.
 */
export function createSelector(method: 'adacore', options?: AnySelectorOptions): AdaCoreSelector;
export function createSelector(method: 'craig', options?: AnySelectorOptions): CraigSelector;
export function createSelector(method: 'random', options?: AnySelectorOptions): RandomSelector;
export function createSelector(method: SelectionMethod, options?: AnySelectorOptions): Selector;
export function createSelector(method: SelectionMethod, options: AnySelectorOptions = {}): Selector {
  return new SELECTORS[checkOption('method', METHOD_OPTION, method)](options);
}
