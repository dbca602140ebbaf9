// One ground set (a class, or all rows) from the caller's rows: packed once, then given to
// the optimizer its name selects. Shared by the in-thread path and the selection Worker.
import { paddedWidth, type KernelExports } from '../kernels/wasm.js';
import { optimizerByName, type Optimizer } from '../optimizers/registry.js';
import type { GroundSetConfig, InnerParallel } from '../optimizers/types.js';
import { packGroundSet } from '../select/ground-set.js';
import type { Pacer } from '../select/pacer.js';
import type { ProgressFrame } from '../select/progress.js';
import type { GroundSetSelection } from '../select/selection.js';
import type { Rows } from '../select/vectors.js';

/** Picks, nearest and distances are positions in `members`. */
export function selectMembers(
  kernels: KernelExports, rows: Rows, members: Int32Array, budget: number,
  config: GroundSetConfig & { optimizer: Optimizer }, pacer: Pacer, frame: ProgressFrame, parallel?: InnerParallel,
): Promise<GroundSetSelection> {
  const points = packGroundSet(rows, members, config.metric, paddedWidth(rows.dim));
  return optimizerByName(config.optimizer).select(kernels, points, budget, config, pacer, frame, parallel);
}
