// Selection Workers: ground sets (classes) are independent, so with `threads` > 1 they are
// selected in parallel, one Worker per thread, each with its own kernel instance. The
// Workers start from WORKER_SOURCE (a string), so this works the same in Node
// (worker_threads), Deno and browsers (module Workers from a Blob URL) with no file, fetch
// or permission. Results do not depend on the thread count: each ground set gets the same
// rows, options and seed as in-thread. In Node and browsers the Workers are kept for the
// next selection (re-selecting every few epochs is the common case, and a start costs tens
// of ms) and releaseWorkers() ends them; in Node they never keep the process alive. In Deno
// they end with each selection, since a live one would keep the program from exiting.
import { AdacoreError } from '../errors.js';
import type { GroundSetSelection } from '../select/facility-location.js';
import type { Rows } from '../select/vectors.js';
import type { GroundSetReply, GroundSetTask, TaskConfig } from './protocol.js';
import { WORKER_SOURCE } from './worker-source.js';

interface SelectionWorker {
  /** Post a task; in Node the Worker keeps the process alive until its replies are in. */
  send(task: GroundSetTask, transfer: ArrayBuffer[]): void;
  /** Called with each reply, or with an Error when the Worker failed. */
  onReply: ((reply: GroundSetReply | Error) => void) | undefined;
  terminate(): void;
}

/**
 * Tasks posted ahead to a busy Worker: its next ground set is waiting when it finishes, so it
 * does not idle while this thread takes the reply and copies the next rows (about 1 ms a task).
 */
const TASKS_AHEAD = 1;

type NodeWorker = {
  postMessage(m: unknown, t: ArrayBuffer[]): void;
  on(event: 'message' | 'error', handler: (value: never) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
};

const globals = globalThis as unknown as {
  Deno?: unknown;
  process?: { versions?: { node?: string } };
  Worker?: new (url: string, options: { type: 'module' }) => {
    postMessage(m: unknown, t: ArrayBuffer[]): void;
    onmessage: ((event: { data: GroundSetReply }) => void) | null;
    onerror: ((event: { message?: string; preventDefault?(): void }) => void) | null;
    terminate(): void;
  };
};

const isNode = typeof globals.process?.versions?.node === 'string' && globals.Deno === undefined;
/** A live Web Worker keeps a Deno program from exiting (Deno has no unref for them): end them after each selection there. */
const keepIdleWorkers = globals.Deno === undefined;

/** Whether this runtime can run selection Workers (Node, Deno, browsers; not e.g. workerd). */
export function workersAvailable(): boolean {
  return WORKER_SOURCE !== '' && (isNode || typeof globals.Worker === 'function');
}

let blobUrl: string | undefined;

async function spawn(): Promise<SelectionWorker> {
  const worker: SelectionWorker = { send() {}, onReply: undefined, terminate() {} };
  let deliver = (reply: GroundSetReply | Error) => worker.onReply?.(reply);
  if (isNode) {
    // a specifier bundlers leave alone: this branch runs only in Node
    const specifier = 'node:worker_threads';
    const threads = await import(/* @vite-ignore */ specifier) as { Worker: new (code: string, options: { eval: true }) => NodeWorker };
    // import(), not require: the eval code runs as a module when the parent was started with
    // --input-type=module (Workers inherit execArgv), as a script otherwise
    const code = `import('node:worker_threads').then(({ parentPort }) => {\nglobalThis.adacoreParentPort = parentPort;\n${WORKER_SOURCE}\n});`;
    const nodeWorker = new threads.Worker(code, { eval: true });
    // referenced only while a task runs: an idle Worker must not keep the process alive, and an
    // awaited one must (else Node exits mid-await). Listeners first: adding one refs again.
    nodeWorker.on('message', (reply: GroundSetReply) => deliver(reply));
    nodeWorker.on('error', (error: Error) => deliver(error));
    nodeWorker.unref();
    let pending = 0;
    const reply = deliver;
    deliver = (message) => { if (--pending <= 0) { pending = 0; nodeWorker.unref(); } reply(message); };
    worker.send = (task, transfer) => { if (pending++ === 0) nodeWorker.ref(); nodeWorker.postMessage(task, transfer); };
    worker.terminate = () => { void nodeWorker.terminate(); };
    return worker;
  }
  blobUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const webWorker = new globals.Worker!(blobUrl, { type: 'module' });
  webWorker.onmessage = (event) => deliver(event.data);
  webWorker.onerror = (event) => {
    event.preventDefault?.();
    // e.g. a page whose Content-Security-Policy does not allow worker-src blob:
    deliver(new Error(`a selection Worker failed to start or crashed: ${event.message ?? 'no message'} (a page's Content-Security-Policy must allow worker-src blob:; or use threads: 1)`));
  };
  worker.send = (task, transfer) => webWorker.postMessage(task, transfer);
  worker.terminate = () => webWorker.terminate();
  return worker;
}

/** Idle Workers kept between selections. */
const idle: SelectionWorker[] = [];

/** End the kept selection Workers (a Deno program or test that used threads > 1 calls this before exiting). */
export function releaseWorkers(): void {
  for (const worker of idle.splice(0)) worker.terminate();
}

/**
 * Select every ground set in `threads` Workers: each Worker takes the next ground set when it
 * is free. `onDone` is called as each finishes. An abort or a failure ends the Workers in use.
 */
export async function selectInWorkers(
  rows: Rows, grounds: { members: Int32Array; budget: number; config: TaskConfig }[], threads: number,
  signal: AbortSignal | undefined, onDone: (index: number) => void,
): Promise<GroundSetSelection[]> {
  const workers: SelectionWorker[] = [];
  const results: GroundSetSelection[] = new Array(grounds.length);
  let failed = false;
  let abort = () => {};
  try {
    for (let t = 0; t < threads; t++) workers.push(idle.pop() ?? await spawn());
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      abort = () => fail(signal!.reason ?? new DOMException('The selection was aborted', 'AbortError'));
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      // tasks posted to each Worker and not yet answered
      const queued = new Map<SelectionWorker, number>(workers.map((worker) => [worker, 0]));
      const allAnswered = () => workers.every((worker) => queued.get(worker) === 0);
      // top a Worker up to one running task and `ahead` waiting; near the end, when the
      // Workers would outnumber what is left, only idle ones get a task
      const feed = (worker: SelectionWorker, ahead = TASKS_AHEAD) => {
        while (!failed && next < grounds.length) {
          const count = queued.get(worker)!;
          if (count > ahead || (count > 0 && grounds.length - next <= workers.length)) break;
          const index = next++;
          queued.set(worker, count + 1);
          const task = groundSetTask(rows, grounds[index], index);
          worker.send(task, [task.vectors.buffer]);
        }
        if (!failed && next === grounds.length && allAnswered()) resolve();
      };
      for (const worker of workers) {
        worker.onReply = (reply) => {
          queued.set(worker, queued.get(worker)! - 1);
          if (reply instanceof Error) return fail(reply);
          if ('error' in reply) return fail(rebuildError(reply.error));
          results[reply.id] = reply.selection;
          try {
            onDone(reply.id); // the caller's onProgress: what it throws ends the selection
          } catch (error) {
            return fail(error);
          }
          feed(worker);
        };
      }
      // every Worker starts on a task before any gets one ahead (each costs this thread a copy)
      for (const worker of workers) feed(worker, 0);
      for (const worker of workers) feed(worker);
    });
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
    // a failed or aborted selection leaves Workers mid-task: end them rather than keep them
    for (const worker of workers) {
      worker.onReply = undefined;
      if (failed || !keepIdleWorkers) worker.terminate(); else idle.push(worker);
    }
  }
  return results;
}

function groundSetTask(rows: Rows, ground: { members: Int32Array; budget: number; config: TaskConfig }, id: number): GroundSetTask {
  const { members, budget, config } = ground;
  const { data, dim } = rows;
  // the caller's precision: float32 input travels as float32
  const vectors = data instanceof Float32Array ? new Float32Array(members.length * dim) : new Float64Array(members.length * dim);
  for (let t = 0; t < members.length; t++) {
    const from = members[t] * dim, to = t * dim;
    for (let j = 0; j < dim; j++) vectors[to + j] = data[from + j];
  }
  return { id, vectors, members, dim: rows.dim, budget, config };
}

function rebuildError({ name, message, argument }: { name: string; message: string; argument?: string }): Error {
  if (name === 'AdacoreError' && argument !== undefined) {
    return new AdacoreError(argument, message.startsWith(`${argument}: `) ? message.slice(argument.length + 2) : message);
  }
  const error = new Error(message);
  error.name = name;
  return error;
}
