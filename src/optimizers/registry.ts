// Every optimizer by name. The public list OPTIMIZERS (and the Optimizer type, the option's
// allowed values, the CLI's --optimizer) is derived from this object: a new optimizer is a
// file in this folder and one line here.
import { lazy } from './lazy.js';
import { naive } from './naive.js';
import { partitioned, spatial } from './partitioned.js';
import { proportional } from './proportional.js';
import { stochastic } from './stochastic.js';
import type { GroundSetOptimizer } from './types.js';

export const OPTIMIZER_REGISTRY = { lazy, stochastic, naive, partitioned, spatial, proportional } as const satisfies Record<string, GroundSetOptimizer>;

/**
 * A ground-set optimizer, by name: one of OPTIMIZERS.
 * @useDeclaredType
 */
export type Optimizer = keyof typeof OPTIMIZER_REGISTRY;
export const OPTIMIZERS = Object.keys(OPTIMIZER_REGISTRY) as Optimizer[];

/** The optimizer of a name already validated (resolveOptions). */
export function optimizerByName(name: Optimizer): GroundSetOptimizer {
  return OPTIMIZER_REGISTRY[name];
}
