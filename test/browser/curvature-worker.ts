// Module Worker: runs every shared tfjs-layer case against dist/adacore-tf.mjs off the main thread
// and posts each result back as it finishes ({ type: 'result', ... }), then { type: 'done' }.
import * as bundle from '../../dist/adacore-tf.mjs';
import { runAllCurvature, type TfLib } from '../shared/curvature-cases.ts';

const scope = self as unknown as { postMessage(message: unknown): void; onmessage: ((event: MessageEvent) => void) | null };

scope.onmessage = async () => {
  const isWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' && typeof document === 'undefined';
  scope.postMessage({ type: 'hello', isWorker });
  try {
    await runAllCurvature(bundle as unknown as TfLib, (result) => scope.postMessage({ type: 'result', ...result }));
    scope.postMessage({ type: 'done' });
  } catch (error) {
    scope.postMessage({ type: 'crash', error: String((error as Error)?.stack ?? error) });
  }
};
