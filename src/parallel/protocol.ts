// Messages between selectCoreset and its selection Workers: one ground set per task, its rows
// copied in, its selection posted back (plain data: typed arrays and numbers).
import type { GroundSetConfig, GroundSetSelection } from '../select/facility-location.js';

/** The ground-set options a Worker needs (no signal or callback: those stay on the main side). */
export type TaskConfig = Omit<GroundSetConfig, 'compaction'>;

export interface GroundSetTask {
  id: number;
  /** The ground set's rows, row-major, members.length x dim, in the caller's precision. */
  vectors: Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;
  /** Their row indices in the caller's data (errors name these). */
  members: Int32Array;
  dim: number;
  budget: number;
  config: TaskConfig;
}

export type GroundSetReply =
  | { id: number; selection: GroundSetSelection }
  | { id: number; error: { name: string; message: string; argument?: string } };
