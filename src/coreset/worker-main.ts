// Entry of the selection Worker (bundled into WORKER_SOURCE by scripts/embed-worker.mjs):
// selects one ground set per task with its own kernel instance, the same code as in-thread.
import { acquireKernels, releaseKernels } from '../kernels/wasm.js';
import { serveTasks } from '../parallel/serve.js';
import { Pacer } from '../select/pacer.js';
import { flatRows } from '../select/vectors.js';
import { selectMembers } from './select-members.js';
import { selectionBuffers, type GroundSetTask } from './tasks.js';

serveTasks(async (task: GroundSetTask) => {
  // local rows 0..n-1, named by the caller's row indices in messages
  const rows = flatRows(task.vectors, task.members.length, task.dim, (t) => task.members[t]);
  const members = new Int32Array(rows.count);
  for (let t = 0; t < members.length; t++) members[t] = t;
  const kernels = await acquireKernels();
  try {
    const frame = () => ({ phase: 'greedy' as const, done: 0, total: 0, selected: 0, budget: task.budget, classIndex: 0, classCount: 1 });
    // nothing in a Worker waits on its event loop (an abort terminates it): no yields
    const selection = await selectMembers(kernels, rows, members, task.budget, task.config, new Pacer(undefined, undefined, Infinity), frame);
    return { result: selection, transfer: selectionBuffers(selection) };
  } finally {
    releaseKernels(kernels);
  }
});
