// Entry of a job thread (dist/adacore-distributed-thread.mjs): runs jobs posted by the worker's
// main thread, one at a time, and posts back the summary or the error. The selection's
// WebAssembly loops block this thread, not the main one, whose event loop keeps renewing
// BullMQ's job locks (a blocked one would get the job falsely marked stalled).
import { parentPort } from 'node:worker_threads';
import { runJob } from './jobs.js';
import type { ThreadReply, ThreadTask } from './thread-pool.js';

let previous: Promise<void> = Promise.resolve();
parentPort!.on('message', (task: ThreadTask) => {
  previous = previous.then(async () => {
    let reply: ThreadReply;
    try {
      reply = { id: task.id, result: await runJob(task.name, task.data) };
    } catch (error) {
      const e = error as { name?: string; message?: string; argument?: string };
      reply = { id: task.id, error: { name: e?.name ?? 'Error', message: e?.message ?? String(error), argument: e?.argument } };
    }
    parentPort!.postMessage(reply);
  });
});
