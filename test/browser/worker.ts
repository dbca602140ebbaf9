// Module Worker: runs every shared case against dist/adacore.mjs off the main thread and posts
// each result back as it finishes ({ type: 'result', ... }), then { type: 'done' }.
import * as adacore from '../../dist/adacore.mjs';
import { runAll, type Lib } from '../shared/cases.ts';

const scope = self as unknown as { postMessage(message: unknown): void; onmessage: ((event: MessageEvent) => void) | null };

scope.onmessage = async () => {
  const isWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' && typeof document === 'undefined';
  scope.postMessage({ type: 'hello', isWorker });
  try {
    await runAll(adacore as unknown as Lib, (result) => scope.postMessage({ type: 'result', ...result }));
    scope.postMessage({ type: 'done' });
  } catch (error) {
    scope.postMessage({ type: 'crash', error: String((error as Error)?.stack ?? error) });
  }
};
