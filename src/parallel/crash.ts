// What a Worker that dies mid-task becomes on the caller's side: one AdacoreError naming
// `threads` (the option that put the work in Workers), saying how it died and that the call
// was abandoned. The pool (pool.ts) raises it when a Worker throws outside a task (an uncaught
// error), exits by itself (process.exit, an out-of-memory kill) or is terminated by someone
// else; an error a task reports in its reply is the task's own and is rebuilt as it was.
import { AdacoreError } from '../errors.js';

/** The tail every crash message shares: what happened to the call and what to try instead. */
const ABANDONED = 'the call was abandoned and its other Workers ended; run it again, or with threads: 1 to stay in this thread';

/** A Worker threw an error no task caught (in Node its 'error' event). */
export function workerThrew(error: unknown): AdacoreError {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new AdacoreError('threads', `a Worker crashed before finishing its task (${message}); ${ABANDONED}`);
}

/** A Worker stopped without answering (in Node its 'exit' event, with the exit code). */
export function workerExited(code: number): AdacoreError {
  return new AdacoreError('threads', `a Worker stopped with exit code ${code} before finishing its task; ${ABANDONED}`);
}

/** A Web Worker's error event: it failed to start (a page's policy) or crashed; `hint` says what a page must allow. */
export function webWorkerFailed(message: string | undefined, hint: string): AdacoreError {
  return new AdacoreError('threads', `a Worker failed to start or crashed (${message || 'the runtime gave no message'}): ${hint}`);
}
