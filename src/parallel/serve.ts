// The Worker side of the pool: listen for tasks, run each with the caller's handler, post the
// result (its buffers transferred) or the error back. Works on Node's parentPort (set by the
// pool's eval prelude) and on a Web Worker's global scope.
import { errorData, type ReplyMessage, type TaskMessage } from './protocol.js';

interface Port {
  post(reply: ReplyMessage, transfer: ArrayBuffer[]): void;
  listen(handler: (task: TaskMessage) => void): void;
}

function parentPort(): Port {
  const scope = globalThis as unknown as {
    adacoreParentPort?: { postMessage(m: unknown, t: ArrayBuffer[]): void; on(e: 'message', h: (m: TaskMessage) => void): void };
    postMessage(m: unknown, t: ArrayBuffer[]): void;
    addEventListener(e: 'message', h: (event: { data: TaskMessage }) => void): void;
  };
  const node = scope.adacoreParentPort;
  if (node) return { post: (m, t) => node.postMessage(m, t), listen: (h) => node.on('message', h) };
  return { post: (m, t) => scope.postMessage(m, t), listen: (h) => scope.addEventListener('message', (event) => h(event.data)) };
}

/**
 * Serve tasks until the Worker is ended; `run` returns the result and the buffers to transfer.
 * Tasks run one after the other, in the order they came: the pool posts one ahead so that a
 * Worker never idles, and it must wait its turn. (Deno delivers a message at any await of the
 * running task; two tasks interleaved there gave different picks from one run to the next.)
 */
export function serveTasks<P, R>(run: (payload: P) => Promise<{ result: R; transfer: ArrayBuffer[] }>): void {
  const port = parentPort();
  let previous: Promise<void> = Promise.resolve();
  port.listen((task) => {
    previous = previous.then(() => run(task.payload as P).then(
      ({ result, transfer }) => port.post({ id: task.id, result }, transfer),
      (e: unknown) => port.post({ id: task.id, error: errorData(e) }, []),
    ));
  });
}
