// What optimizer 'auto' runs on a ground set: exact lazy greedy up to AUTO_EXACT_ROWS rows (its
// work grows as n^2) while its dense block fits blockMemory (on the tiled path exact greedy
// recomputes distances at every evaluation: 12,500 rows took seconds where spatial takes
// tens of ms), then the spatial two-round optimizer (parts of nearby points, then a
// weighted merge) while its merge round's dense block fits blockMemory, else the proportional
// one (no merge: n x partitionSize work at any budget). Larger parts come closer to exact
// greedy for more time (bench/scale.mjs, n = 20,000 at 5 %, cost over exact lazy greedy):
// spatial on parts of 2,048 1.0202 in 1.34 s, of 3,072 1.0184 in 1.58 s, of 4,096 1.0184 in
// 1.86 s (exact: 7.05 s); so spatial takes parts of at least AUTO_SPATIAL_PART_SIZE, and the
// proportional path, whose time grows with the part size at any n, at least AUTO_PART_SIZE.
import { partBudgets } from '../select/parts.js';
import type { Optimizer } from './registry.js';

/** Above this many rows in a ground set, 'auto' leaves exact greedy for a partitioned path. */
export const AUTO_EXACT_ROWS = 16384;

/** The smallest part 'auto' gives the proportional path (and the streams' and partitions' merges). */
export const AUTO_PART_SIZE = 2048;

/** The smallest part 'auto' gives the spatial path. */
export const AUTO_SPATIAL_PART_SIZE = 3072;

export interface AutoChoice { optimizer: Optimizer; partitionSize: number }

export function autoOptimizer(n: number, budget: number, config: { blockMemory: number; partitionSize: number; oversampling: number }): AutoChoice {
  if (n <= AUTO_EXACT_ROWS && n * n * 4 <= config.blockMemory) return { optimizer: 'lazy', partitionSize: config.partitionSize };
  const spatialSize = Math.max(config.partitionSize, AUTO_SPATIAL_PART_SIZE);
  const parts = Math.ceil(n / spatialSize);
  const sizes = Array.from({ length: parts }, (_, j) => Math.floor(((j + 1) * n) / parts) - Math.floor((j * n) / parts));
  const union = partBudgets(sizes, n, budget, config.oversampling).reduce((a, b) => a + b, 0);
  if (union * union * 4 <= config.blockMemory) return { optimizer: 'spatial', partitionSize: spatialSize };
  return { optimizer: 'proportional', partitionSize: Math.max(config.partitionSize, AUTO_PART_SIZE) };
}
