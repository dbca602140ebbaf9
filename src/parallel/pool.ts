// A pool of Workers that run independent tasks, started from a script given as a string
// (the caller's bundled Worker entry), so this works the same in Node (worker_threads), Deno
// and browsers (module Workers from a Blob URL) with no file, fetch or permission. It knows
// nothing of what the tasks compute. In Node and browsers the Workers are kept for the next
// call (re-selecting every few epochs is the common case, and a start costs tens of ms) and
// releaseWorkers() ends them; in Node they never keep the process alive. In Deno they end
// with each call, since a live one would keep the program from exiting. A Worker that dies
// mid-task (crash.ts) fails the call with an AdacoreError, and the call returns only once every
// Worker it used has stopped; a dead Worker is never reused.
import { webWorkerFailed, workerExited, workerThrew } from './crash.js';
import { rebuildError, type ReplyMessage, type TaskMessage } from './protocol.js';
import { releaseSharedBuffers } from './shared-buffers.js';

interface PoolWorker {
  /** Post a task; in Node the Worker keeps the process alive until its replies are in. */
  send(task: TaskMessage, transfer: ArrayBuffer[]): void;
  /** Called with each reply, or with an Error when the Worker failed. */
  onReply: ((reply: ReplyMessage | Error) => void) | undefined;
  /** End the Worker; resolves once it has stopped (Node), at once where termination is synchronous. */
  terminate(): Promise<void>;
  /** Set once the Worker crashed or stopped by itself: it is not kept for the next call. */
  dead: boolean;
}

/**
 * Tasks posted ahead to a busy Worker: its next task is waiting when it finishes, so it does
 * not idle while this thread takes the reply and makes the next task (for a selection, a
 * ground set's row copy: about 1 ms).
 */
const TASKS_AHEAD = 1;

type NodeWorker = {
  postMessage(m: unknown, t: ArrayBuffer[]): void;
  on(event: 'message' | 'error' | 'exit', handler: (value: never) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
};

const globals = globalThis as unknown as {
  Deno?: unknown;
  process?: { versions?: { node?: string } };
  /** A browser's Trusted Types (pages whose policy has require-trusted-types-for 'script'). */
  trustedTypes?: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown } };
  Worker?: new (url: unknown, options: { type: 'module' }) => {
    postMessage(m: unknown, t: ArrayBuffer[]): void;
    onmessage: ((event: { data: ReplyMessage }) => void) | null;
    onerror: ((event: { message?: string; preventDefault?(): void }) => void) | null;
    terminate(): void;
  };
};

const isNode = typeof globals.process?.versions?.node === 'string' && globals.Deno === undefined;
/** A live Web Worker keeps a Deno program from exiting (Deno has no unref for them): end them after each run there. */
const keepIdleWorkers = globals.Deno === undefined;

/** Whether this runtime can run Workers (Node, Deno, browsers; not e.g. workerd). */
export function workersAvailable(): boolean {
  return isNode || typeof globals.Worker === 'function';
}

/** One Blob URL per Worker script. */
const blobUrls = new Map<string, string>();

/** The name of the Trusted Types policy for the Workers' Blob URLs (a page's trusted-types directive must list it). */
const TRUSTED_TYPES_POLICY = 'adacore';
let trustedPolicy: { createScriptURL(url: string): unknown } | null | undefined;

/**
 * `url` as a Worker's script URL: a TrustedScriptURL where the browser has Trusted Types (a page
 * with require-trusted-types-for 'script' refuses plain strings), made by a policy that passes
 * only the Blob URLs made here; else the string.
 */
function workerScriptUrl(url: string): unknown {
  if (trustedPolicy === undefined) {
    try {
      trustedPolicy = globals.trustedTypes?.createPolicy(TRUSTED_TYPES_POLICY, {
        createScriptURL: (u) => {
          if (![...blobUrls.values()].includes(u)) throw new TypeError(`adacore's Trusted Types policy passes only its own Worker Blob URLs, not ${u}`);
          return u;
        },
      }) ?? null;
    } catch {
      trustedPolicy = null; // the page's trusted-types directive does not allow the name: the Worker will say so
    }
  }
  return trustedPolicy === null ? url : trustedPolicy.createScriptURL(url);
}

async function spawn(script: string): Promise<PoolWorker> {
  const worker: PoolWorker = { send() {}, onReply: undefined, terminate: async () => {}, dead: false };
  let deliver = (reply: ReplyMessage | Error) => worker.onReply?.(reply);
  if (isNode) {
    // a specifier bundlers leave alone: this branch runs only in Node
    const specifier = 'node:worker_threads';
    const threads = await import(/* @vite-ignore */ specifier) as { Worker: new (code: string, options: { eval: true }) => NodeWorker };
    // import(), not require: the eval code runs as a module when the parent was started with
    // --input-type=module (Workers inherit execArgv), as a script otherwise
    const code = `import('node:worker_threads').then(({ parentPort }) => {\nglobalThis.adacoreParentPort = parentPort;\n${script}\n});`;
    const nodeWorker = new threads.Worker(code, { eval: true });
    // referenced only while a task runs: an idle Worker must not keep the process alive, and an
    // awaited one must (else Node exits mid-await). Listeners first: adding one refs again.
    nodeWorker.on('message', (reply: ReplyMessage) => deliver(reply));
    // an uncaught error in the Worker ('error', then 'exit'), or an exit nobody asked for
    // (process.exit in it, a kill): the task it held will never be answered
    let ending = false;
    nodeWorker.on('error', (error: Error) => { worker.dead = true; deliver(workerThrew(error)); });
    nodeWorker.on('exit', (code: number) => { worker.dead = true; if (!ending) deliver(workerExited(code)); });
    nodeWorker.unref();
    let pending = 0;
    const reply = deliver;
    deliver = (message) => { if (--pending <= 0) { pending = 0; nodeWorker.unref(); } reply(message); };
    worker.send = (task, transfer) => { if (pending++ === 0) nodeWorker.ref(); nodeWorker.postMessage(task, transfer); };
    worker.terminate = async () => { ending = true; await nodeWorker.terminate(); };
    return worker;
  }
  let blobUrl = blobUrls.get(script);
  if (blobUrl === undefined) blobUrls.set(script, blobUrl = URL.createObjectURL(new Blob([script], { type: 'text/javascript' })));
  let webWorker: InstanceType<NonNullable<typeof globals.Worker>>;
  try {
    webWorker = new globals.Worker!(workerScriptUrl(blobUrl), { type: 'module' });
  } catch (error) {
    // e.g. Trusted Types refusing the URL; a worker-src violation arrives as an error event instead
    throw new Error(`could not start a selection Worker (${error instanceof Error ? error.message : String(error)}): ${WEB_WORKER_NEEDS}`);
  }
  webWorker.onmessage = (event) => deliver(event.data);
  webWorker.onerror = (event) => {
    event.preventDefault?.();
    // e.g. a page whose Content-Security-Policy does not allow worker-src blob:
    worker.dead = true;
    deliver(webWorkerFailed(event.message, WEB_WORKER_NEEDS));
  };
  worker.send = (task, transfer) => webWorker.postMessage(task, transfer);
  worker.terminate = async () => webWorker.terminate();
  return worker;
}

/** What a page must allow for the Workers (docs/reliability.md, "Security"). */
const WEB_WORKER_NEEDS = `a page's Content-Security-Policy must allow worker-src blob: (and, with require-trusted-types-for 'script', the Trusted Types policy '${TRUSTED_TYPES_POLICY}'), or select with threads: 1`;

/** Idle Workers kept between calls, by script. */
const idle = new Map<string, PoolWorker[]>();

/** End the kept Workers (a Deno program or test that used threads > 1 calls this before exiting). */
export function releaseWorkers(): void {
  for (const workers of idle.values()) for (const worker of workers.splice(0)) void worker.terminate();
  releaseSharedBuffers();
}

/** A task as posted: its payload and the buffers to transfer with it. */
export interface PostedTask { payload: unknown; transfer: ArrayBuffer[] }

/**
 * Run tasks 0..count-1 in `threads` Workers started from `script` (which serves them with
 * serveTasks): each Worker takes the next task when it is free; `task(index)` makes a task's
 * message when it is posted. `onDone` is called as each finishes (what it throws ends the
 * run). An abort or a failure ends the Workers in use.
 */
export async function runInWorkers<R>(
  script: string, count: number, threads: number, task: (index: number) => PostedTask,
  signal: AbortSignal | undefined, onDone: (index: number) => void,
): Promise<R[]> {
  const workers: PoolWorker[] = [];
  const results: R[] = new Array(count);
  const kept = idle.get(script) ?? [];
  idle.set(script, kept);
  let failed = false;
  let abort = () => {};
  try {
    for (let t = 0; t < threads; t++) workers.push(takeKept(kept) ?? await spawn(script));
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      const fail = (error: unknown) => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      abort = () => fail(signal!.reason ?? new DOMException('The operation was aborted', 'AbortError'));
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      // tasks posted to each Worker and not yet answered
      const queued = new Map<PoolWorker, number>(workers.map((worker) => [worker, 0]));
      const allAnswered = () => workers.every((worker) => queued.get(worker) === 0);
      // top a Worker up to one running task and `ahead` waiting; near the end, when the
      // Workers would outnumber what is left, only idle ones get a task
      const feed = (worker: PoolWorker, ahead = TASKS_AHEAD) => {
        while (!failed && next < count) {
          const waiting = queued.get(worker)!;
          if (waiting > ahead || (waiting > 0 && count - next <= workers.length)) break;
          const index = next++;
          queued.set(worker, waiting + 1);
          const { payload, transfer } = task(index);
          worker.send({ id: index, payload }, transfer);
        }
        if (!failed && next === count && allAnswered()) resolve();
      };
      for (const worker of workers) {
        worker.onReply = (reply) => {
          queued.set(worker, queued.get(worker)! - 1);
          if (reply instanceof Error) return fail(reply);
          if ('error' in reply) return fail(rebuildError(reply.error));
          results[reply.id] = reply.result as R;
          try {
            onDone(reply.id); // e.g. the caller's onProgress: what it throws ends the run
          } catch (error) {
            return fail(error);
          }
          feed(worker);
        };
      }
      // every Worker starts on a task before any gets one ahead (each may cost this thread a copy)
      for (const worker of workers) feed(worker, 0);
      for (const worker of workers) feed(worker);
    });
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
    // a failed or aborted run leaves Workers mid-task: end them rather than keep them, and
    // return (or throw) only once they have stopped, so that none outlives the call
    const ending: Promise<void>[] = [];
    for (const worker of workers) {
      worker.onReply = undefined;
      if (failed || !keepIdleWorkers || worker.dead) ending.push(worker.terminate()); else kept.push(worker);
    }
    await Promise.all(ending);
  }
  return results;
}

/** A kept Worker that is still alive (one may have died while idle), or undefined. */
function takeKept(kept: PoolWorker[]): PoolWorker | undefined {
  for (let worker = kept.pop(); worker !== undefined; worker = kept.pop()) {
    if (!worker.dead) return worker;
    void worker.terminate();
  }
  return undefined;
}
