// Entry of the selection Worker (bundled into WORKER_SOURCE by scripts/embed-worker.mjs):
// selects one ground set per task with its own kernel instance, the same code as in-thread.
import { acquireKernels, releaseKernels } from '../kernels/wasm.js';
import { Pacer } from '../select/pacer.js';
import { selectMembers } from '../select/select-members.js';
import { flatRows } from '../select/vectors.js';
import type { GroundSetReply, GroundSetTask } from './protocol.js';

interface Port {
  post(reply: GroundSetReply, transfer: ArrayBuffer[]): void;
  listen(handler: (task: GroundSetTask) => void): void;
}

/** Node's parentPort (set by the eval prelude, see pool.ts) or the Worker global scope. */
function parentPort(): Port {
  const scope = globalThis as unknown as {
    adacoreParentPort?: { postMessage(m: unknown, t: ArrayBuffer[]): void; on(e: 'message', h: (m: GroundSetTask) => void): void };
    postMessage(m: unknown, t: ArrayBuffer[]): void;
    addEventListener(e: 'message', h: (event: { data: GroundSetTask }) => void): void;
  };
  const node = scope.adacoreParentPort;
  if (node) return { post: (m, t) => node.postMessage(m, t), listen: (h) => node.on('message', h) };
  return { post: (m, t) => scope.postMessage(m, t), listen: (h) => scope.addEventListener('message', (event) => h(event.data)) };
}

async function selectTask(task: GroundSetTask): Promise<GroundSetReply> {
  try {
    // local rows 0..n-1, named by the caller's row indices in messages
    const rows = flatRows(task.vectors, task.members.length, task.dim, (t) => task.members[t]);
    const members = new Int32Array(rows.count);
    for (let t = 0; t < members.length; t++) members[t] = t;
    const kernels = await acquireKernels();
    try {
      const frame = () => ({ phase: 'greedy' as const, done: 0, total: 0, selected: 0, budget: task.budget, classIndex: 0, classCount: 1 });
      return { id: task.id, selection: await selectMembers(kernels, rows, members, task.budget, task.config, new Pacer(undefined, undefined, Infinity), frame) };
    } finally {
      releaseKernels(kernels);
    }
  } catch (e) {
    const error = e as Error & { argument?: string };
    return { id: task.id, error: { name: error?.name ?? 'Error', message: String(error?.message ?? e), argument: error?.argument } };
  }
}

const port = parentPort();
port.listen((task) => {
  void selectTask(task).then((reply) => {
    const transfer = 'selection' in reply
      ? [reply.selection.picks.buffer, reply.selection.gains.buffer, reply.selection.nearest.buffer, reply.selection.distances.buffer] as ArrayBuffer[]
      : [];
    port.post(reply, transfer);
  });
});
