// Entry of the selection Worker (bundled into WORKER_SOURCE by scripts/embed-worker.mjs), with
// its own kernel instance and the same code as in-thread: a ground set per task (threads across
// classes), or one ground set's parts, a part of its dense block or a slice of its final
// assignment (inner-parallel.ts).
import { acquireKernels, releaseKernels, type KernelExports } from '../kernels/wasm.js';
import { computeBand } from '../optimizers/dense-build.js';
import { runGreedy } from '../optimizers/greedy-run.js';
import { lazyPicks } from '../optimizers/lazy.js';
import type { PartResult } from '../optimizers/types.js';
import { serveTasks } from '../parallel/serve.js';
import { assignToPicks } from '../select/assign.js';
import { Pacer } from '../select/pacer.js';
import { flatRows } from '../select/vectors.js';
import type { AssignTask, BandTask, PartsTask } from './inner-parallel.js';
import { selectMembers } from './select-members.js';
import { selectionBuffers, type GroundSetTask } from './tasks.js';

// nothing in a Worker waits on its event loop (an abort terminates it): no yields
const unpaced = () => new Pacer(undefined, undefined, Infinity);
const frame = (budget: number) => () => ({ phase: 'greedy' as const, done: 0, total: 0, selected: 0, budget, classIndex: 0, classCount: 1 });

serveTasks<GroundSetTask | PartsTask | BandTask | AssignTask, unknown>(async (task) => {
  const kernels = await acquireKernels();
  try {
    if ('kind' in task && task.kind === 'parts') return runPartsTask(kernels, task);
    if ('kind' in task && task.kind === 'band') {
      const rows = { count: task.rows.length / task.width, width: task.width, data: task.rows, emptyDistance: 0 };
      const part = computeBand(kernels, rows, task.metric, task.tiles, task.out);
      // written into the caller's shared buffer: only its length goes back
      return task.out !== undefined ? { result: part.length, transfer: [] } : { result: part, transfer: [part.buffer as ArrayBuffer] };
    }
    if ('kind' in task && task.kind === 'assign') {
      const points = { count: task.points.length / task.width, width: task.width, data: task.points, emptyDistance: task.emptyDistance };
      const chosen = { count: task.chosen.length / task.width, width: task.width, data: task.chosen, emptyDistance: task.emptyDistance };
      const result = assignToPicks(kernels, points, chosen, task.metric);
      return { result, transfer: [result.pick.buffer, result.distance.buffer] as ArrayBuffer[] };
    }
    const ground = task as GroundSetTask;
    // local rows 0..n-1, named by the caller's row indices in messages
    const rows = flatRows(ground.vectors, ground.members.length, ground.dim, (t) => ground.members[t]);
    const members = Int32Array.from({ length: rows.count }, (_, t) => t);
    const selection = await selectMembers(kernels, rows, members, ground.budget, ground.config, unpaced(), frame(ground.budget));
    return { result: selection, transfer: selectionBuffers(selection) };
  } finally {
    releaseKernels(kernels);
  }
});

async function runPartsTask(kernels: KernelExports, task: PartsTask) {
  const results: PartResult[] = [];
  const transfer: ArrayBuffer[] = [];
  let row = 0;
  for (let j = 0; j < task.sizes.length; j++) {
    const count = task.sizes[j];
    const data = task.data.subarray(row * task.width, (row + count) * task.width);
    const run = await runGreedy(kernels, { count, width: task.width, data, emptyDistance: task.emptyDistance }, task.budgets[j], task.config, unpaced(), frame(task.budgets[j]), lazyPicks);
    results.push({ picks: run.picks, gains: run.gains, nearest: run.nearest, distances: run.distances, evaluations: run.evaluations, path: run.path });
    transfer.push(...selectionBuffers(run));
    row += count;
  }
  return { result: results, transfer };
}
