// The one interface every optimizer implements, and what it is given (docs/architecture.md:
// adding an optimizer is a file here and a line in registry.ts).
import type { KernelExports } from '../kernels/wasm.js';
import type { PackedPoints } from '../select/ground-set.js';
import type { Metric } from '../select/metric.js';
import type { Pacer } from '../select/pacer.js';
import type { ProgressFrame } from '../select/progress.js';
import type { GroundSetSelection } from '../select/selection.js';

/** The selection options that reach one ground set (its class's seed already derived). */
export interface GroundSetConfig {
  metric: Metric;
  seed: number;
  epsilon: number;
  sampleSize: number | undefined;
  blockMemory: number;
  partitionSize: number;
  oversampling: number;
  /** Internal, for tests: force the dense path's row compaction on or off (default: by size, see COMPACTION_ABOVE_BYTES). */
  compaction?: boolean;
}

/** One part's greedy, as a part task returns it (positions in the part). */
export type PartResult = Pick<GroundSetSelection, 'picks' | 'gains' | 'nearest' | 'distances' | 'evaluations' | 'path'>;

/**
 * More threads for one ground set (src/coreset/inner-parallel.ts): its parts' greedy runs, its
 * dense block's bands and its final assignment, in Workers. The same code runs there as here, so results do not depend on it.
 */
export interface InnerParallel {
  threads: number;
  /** Whether the Workers' dense-build parts come back in shared buffers (SharedArrayBuffer is available). */
  sharedParts: boolean;
  /** Lazy greedy on each part (positions into `points`) with its budget; results in part order. */
  parts(points: PackedPoints, parts: Int32Array[], budgets: number[], config: GroundSetConfig): Promise<PartResult[]>;
  /**
   * For each tile-row range [s, e) of a dense build, its part (computeBand in dense-build.ts) from
   * the rows from s * TILE on, handed to `place` once all are in (valid only during the call).
   */
  denseBands(rows: PackedPoints[], metric: Metric, ranges: [number, number][], place: (range: number, part: Float32Array) => void): Promise<void>;
  /** Each of `points`' nearest row of `chosen` (assignToPicks), split by rows over the threads. */
  assign(points: PackedPoints, chosen: PackedPoints, metric: Metric): Promise<{ pick: Int32Array; distance: Float32Array }>;
}

/**
 * An optimizer: picks `budget` rows of one packed ground set (a class, or all rows), with
 * the kernels, reporting through the pacer. Picks, nearest and distances are positions in
 * `points`. It must give the same result for the same input and seed in every runtime.
 */
export interface GroundSetOptimizer {
  select(
    kernels: KernelExports, points: PackedPoints, budget: number, config: GroundSetConfig, pacer: Pacer, frame: ProgressFrame,
    parallel?: InnerParallel,
  ): Promise<GroundSetSelection>;
}
