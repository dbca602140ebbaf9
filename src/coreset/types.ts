// What a selection returns (selectCoreset, in memory or from a stream).
import type { Optimizer } from '../optimizers/registry.js';
import type { Metric } from '../select/metric.js';

export interface Coreset {
  /** Selected rows (indices into the input), in merged greedy order: highest gain first. */
  indices: Int32Array;
  /** Weight of each selected row: how many rows (of its class) it is nearest to. Sums to n. */
  weights: Float32Array;
  /** Marginal gain of each pick in facility location F(S) = sum_i max_j (C - d(i, j)). */
  gains: Float64Array;
  /** L(S) = sum_i d(v_i, nearest selected row of its class). */
  cost: number;
  /**
   * 'dense' when every ground set's distance block fit blockMemory, 'tiled' when none did;
   * 'stream' for a stream of row blocks selected out of core (src/coreset/stream.ts);
   * 'partitions' for selection in hash partitions (selectPartitioned, distributedSelect).
   */
  path: 'dense' | 'tiled' | 'dense+tiled' | 'stream' | 'partitions';
  /** Wall time of the selection, in seconds. */
  seconds: number;
  budget: number;
  metric: Metric;
  /** The optimizer that ran ('auto' resolved; with classes that differ, the largest class's). */
  optimizer: Optimizer;
  /** The peak memory the selection was planned for, in bytes (see memoryBudget). */
  plannedBytes: number;
  /** Marginal-gain evaluations done by the greedy (a cost measure independent of the machine). */
  evaluations: number;
  /** Threads that selected (1, or the Workers used with the threads option). */
  threads: number;
}

