// A ground set as a Worker task: its rows copied in (in the caller's precision), its
// selection posted back. Plain data only: typed arrays and numbers.
import type { GroundSetConfig } from '../optimizers/types.js';
import type { Optimizer } from '../optimizers/registry.js';
import type { GroundSetSelection } from '../select/selection.js';
import type { Rows } from '../select/vectors.js';

/** The ground-set options a Worker needs (no signal or callback: those stay on the main side). */
export type TaskConfig = Omit<GroundSetConfig, 'compaction'> & { optimizer: Optimizer };

export interface GroundSetTask {
  /** The ground set's rows, row-major, members.length x dim. */
  vectors: Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;
  /** Their row indices in the caller's data (errors name these). */
  members: Int32Array;
  dim: number;
  budget: number;
  config: TaskConfig;
}

export function groundSetTask(rows: Rows, members: Int32Array, budget: number, config: TaskConfig): GroundSetTask {
  const { data, dim } = rows;
  // the caller's precision: float32 input travels as float32
  const vectors = data instanceof Float32Array ? new Float32Array(members.length * dim) : new Float64Array(members.length * dim);
  for (let t = 0; t < members.length; t++) {
    const from = members[t] * dim, to = t * dim;
    for (let j = 0; j < dim; j++) vectors[to + j] = data[from + j];
  }
  return { vectors, members, dim, budget, config };
}

/** The buffers a selection's reply transfers. */
export function selectionBuffers(selection: GroundSetSelection): ArrayBuffer[] {
  return [selection.picks.buffer, selection.gains.buffer, selection.nearest.buffer, selection.distances.buffer] as ArrayBuffer[];
}
