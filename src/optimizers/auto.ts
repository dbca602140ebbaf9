// What optimizer 'auto' runs on a ground set: exact lazy greedy up to AUTO_EXACT_ROWS rows (its
// work grows as n^2), then the partitioned optimizer while its merge round's dense block fits
// blockMemory, else the proportional one (no merge: n x partitionSize work at any budget).
import { partBudgets } from '../select/parts.js';
import type { Optimizer } from './registry.js';

/** Above this many rows in a ground set, 'auto' leaves exact greedy for a partitioned path. */
export const AUTO_EXACT_ROWS = 16384;

export function autoOptimizer(n: number, budget: number, config: { blockMemory: number; partitionSize: number; oversampling: number }): Optimizer {
  if (n <= AUTO_EXACT_ROWS) return 'lazy';
  const parts = Math.ceil(n / config.partitionSize);
  const sizes = Array.from({ length: parts }, (_, j) => Math.floor(((j + 1) * n) / parts) - Math.floor((j * n) / parts));
  const union = partBudgets(sizes, n, budget, config.oversampling).reduce((a, b) => a + b, 0);
  return union * union * 4 <= config.blockMemory ? 'partitioned' : 'proportional';
}
