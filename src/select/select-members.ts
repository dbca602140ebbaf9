// One ground set (a class, or all rows) from the caller's rows: packed once, then given to
// the configured optimizer. Shared by the in-thread path and the selection Worker.
import { paddedWidth, type KernelExports } from '../kernels/wasm.js';
import { selectGroundSet, type GroundSetConfig, type GroundSetSelection, type ProgressFrame } from './facility-location.js';
import { packGroundSet } from './ground-set.js';
import type { Pacer } from './pacer.js';
import { selectPartitioned } from './partitioned.js';
import type { Rows } from './vectors.js';

/** Picks, nearest and distances are positions in `members`. */
export function selectMembers(
  kernels: KernelExports, rows: Rows, members: Int32Array, budget: number,
  config: GroundSetConfig, pacer: Pacer, frame: ProgressFrame,
): Promise<GroundSetSelection> {
  const points = packGroundSet(rows, members, config.metric, paddedWidth(rows.dim));
  const select = config.optimizer === 'partitioned' ? selectPartitioned : selectGroundSet;
  return select(kernels, points, budget, config, pacer, frame);
}
