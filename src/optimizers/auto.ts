// What optimizer 'auto' runs on a ground set: exact lazy greedy up to AUTO_EXACT_ROWS rows (its
// work grows as n^2) while its dense block fits blockMemory (on the tiled path exact greedy
// recomputes distances at every evaluation: 12,500 rows took seconds where spatial takes
// tens of ms), then the spatial two-round optimizer (parts of nearby points, then a
// weighted merge) while its merge round's dense block fits blockMemory, else the proportional
// one (no merge: n x partitionSize work at any budget). Both large-n paths take parts of at
// least AUTO_PART_SIZE points: at n = 20,000 and 5 % parts of 512 cost 2.9 % above exact greedy,
// parts of 2,048 2.0 % (bench/scale.mjs), for about the same time.
import { partBudgets } from '../select/parts.js';
import type { Optimizer } from './registry.js';

/** Above this many rows in a ground set, 'auto' leaves exact greedy for a partitioned path. */
export const AUTO_EXACT_ROWS = 16384;

/** The smallest part 'auto' gives its large-n paths. */
export const AUTO_PART_SIZE = 2048;

export interface AutoChoice { optimizer: Optimizer; partitionSize: number }

export function autoOptimizer(n: number, budget: number, config: { blockMemory: number; partitionSize: number; oversampling: number }): AutoChoice {
  if (n <= AUTO_EXACT_ROWS && n * n * 4 <= config.blockMemory) return { optimizer: 'lazy', partitionSize: config.partitionSize };
  const partitionSize = Math.max(config.partitionSize, AUTO_PART_SIZE);
  const parts = Math.ceil(n / partitionSize);
  const sizes = Array.from({ length: parts }, (_, j) => Math.floor(((j + 1) * n) / parts) - Math.floor((j * n) / parts));
  const union = partBudgets(sizes, n, budget, config.oversampling).reduce((a, b) => a + b, 0);
  return { optimizer: union * union * 4 <= config.blockMemory ? 'spatial' : 'proportional', partitionSize };
}
