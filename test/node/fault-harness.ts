// Child processes for test/node/faults.test.ts. Each fault scenario runs in a fresh Node (so
// that a hang, a leaked Worker or a leftover timer shows, and a lost WebGPU device or a patched
// Worker class cannot reach other tests), started with a prelude that replaces
// worker_threads.Worker by a subclass which counts live Workers and injects Worker faults. The
// bundles (dist/) pick the subclass up: they import node:worker_threads when a selection first
// needs a Worker, after the prelude ran. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORE = join(ROOT, 'dist', 'adacore.mjs');
export const TF = join(ROOT, 'dist', 'adacore-tf.mjs');
export const BIN = join(ROOT, 'bin', 'adacore.mjs');

/**
 * The prelude. `globalThis.workerFault` picks the fault of the Workers started next: 'exit'
 * (process.exit(3) when the first task arrives), 'throw' (an uncaught error then), 'terminate'
 * (ended from outside right after its first task is posted), or undefined. Helpers:
 * workers() ({ live, created }), timers() (active Timeout and Immediate handles),
 * killIdle() (ends every live Worker, as a crash while idle would), failure(promise) (what it
 * rejects with, with the time taken and the Worker counts then) and report(value) (the JSON the
 * test reads).
 */
const PRELUDE = String.raw`
import { createRequire, syncBuiltinESMExports } from 'node:module';
const require = createRequire(import.meta.url);
const threads = require('node:worker_threads');
const Original = threads.Worker;
const live = new Set();
let created = 0;
const FAULTS = {
  exit: "import('node:worker_threads').then(({ parentPort }) => parentPort.on('message', () => process.exit(3)));\n",
  throw: "import('node:worker_threads').then(({ parentPort }) => parentPort.on('message', () => { throw new Error('injected fault'); }));\n",
};
threads.Worker = class TrackedWorker extends Original {
  constructor(code, options) {
    const fault = globalThis.workerFault;
    super((FAULTS[fault] ?? '') + code, options);
    created++;
    live.add(this);
    this.on('exit', () => live.delete(this));
    if (fault === 'terminate') {
      const post = this.postMessage.bind(this);
      let first = true;
      this.postMessage = (message, transfer) => {
        post(message, transfer);
        if (first) { first = false; setImmediate(() => void this.terminate()); }
      };
    }
  }
};
syncBuiltinESMExports();
globalThis.workers = () => ({ live: live.size, created });
globalThis.killIdle = async () => { await Promise.all([...live].map((worker) => worker.terminate())); };
globalThis.timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout' || kind === 'Immediate');
globalThis.failure = async (promise) => {
  const started = performance.now();
  try {
    await promise;
    return { resolved: true };
  } catch (error) {
    return { name: error?.name, argument: error?.argument, message: String(error?.message), ms: performance.now() - started, ...workers() };
  }
};
globalThis.report = (value) => console.log('REPORT ' + JSON.stringify(value));
`;

export interface ChildRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** What the child passed to report(), or undefined if it never did. */
  report: any;
}

/** Runs `body` (an ES module's statements, top-level await allowed) after the prelude, in ROOT. */
export function runChild(body: string, timeoutMs = 60_000): ChildRun {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', `${PRELUDE}\n${body}`], {
    cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? 'surfaceless' },
  });
  const line = run.stdout.split('\n').reverse().find((l) => l.startsWith('REPORT '));
  return { status: run.status, signal: run.signal, stderr: run.stderr, report: line === undefined ? undefined : JSON.parse(line.slice(7)) };
}

/** Standard error without Dawn's per-device notes about capped limits (compatibility mode prints them). */
export function withoutDawnNotes(stderr: string): string {
  return stderr.split('\n').filter((l) => l !== '' && !/artificially reduced/.test(l)).join('\n');
}
