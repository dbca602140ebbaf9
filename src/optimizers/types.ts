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

/**
 * An optimizer: picks `budget` rows of one packed ground set (a class, or all rows), with
 * the kernels, reporting through the pacer. Picks, nearest and distances are positions in
 * `points`. It must give the same result for the same input and seed in every runtime.
 */
export interface GroundSetOptimizer {
  select(
    kernels: KernelExports, points: PackedPoints, budget: number, config: GroundSetConfig, pacer: Pacer, frame: ProgressFrame,
  ): Promise<GroundSetSelection>;
}
