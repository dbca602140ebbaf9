// The two sides of running shared cases in a Chromium module Worker: describeInWorker (the
// test file, in the page) starts the Worker and turns each posted result into a vitest test;
// serveCases (the Worker module) runs the cases and posts { type: 'hello' | 'result' | 'done' |
// 'crash' } messages.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../shared/cases.ts';

interface NamedCase { name: string; skip?: string }

export const title = (c: NamedCase) => (c.skip ? `${c.name} (skipped: ${c.skip})` : c.name);

/** One vitest test per case, each passing when the Worker at `workerUrl` reports it passed. */
export function describeInWorker(suite: string, workerUrl: URL, all: NamedCase[]): void {
  describe(suite, () => {
    const pending = new Map<string, { promise: Promise<CaseResult>; resolve: (r: CaseResult) => void }>();
    for (const c of all) {
      let resolve!: (r: CaseResult) => void;
      const promise = new Promise<CaseResult>((r) => { resolve = r; });
      pending.set(c.name, { promise, resolve });
    }
    let hello: Promise<{ isWorker: boolean }>;
    let crashed: string | undefined;

    beforeAll(() => {
      const worker = new Worker(workerUrl, { type: 'module' });
      let sayHello!: (v: { isWorker: boolean }) => void;
      hello = new Promise((r) => { sayHello = r; });
      const failAll = (why: string) => {
        crashed = why;
        for (const [name, p] of pending) p.resolve({ name, ok: false, ms: 0, error: why });
        sayHello({ isWorker: false });
      };
      worker.onmessage = (event: MessageEvent) => {
        const message = event.data;
        if (message.type === 'hello') sayHello({ isWorker: message.isWorker });
        else if (message.type === 'result') pending.get(message.name)?.resolve(message);
        else if (message.type === 'crash') failAll(`the worker crashed: ${message.error}`);
        else if (message.type === 'done') {
          for (const [name, p] of pending) p.resolve({ name, ok: false, ms: 0, error: 'the worker finished without running this case' });
          worker.terminate();
        }
      };
      worker.onerror = (event: ErrorEvent) => failAll(`worker error: ${event.message}`);
      worker.postMessage('run');
    });

    it('runs in a module Worker (no document, WorkerGlobalScope)', async () => {
      expect((await hello).isWorker, crashed).toBe(true);
    });
    for (const c of all) {
      (c.skip ? it.skip : it)(title(c), async () => {
        const result = await pending.get(c.name)!.promise;
        if (!result.ok) throw new Error(`in the worker: ${result.error}`);
        if (result.skipped) throw new Error(`the page ran this case but the worker skipped it: ${result.skipped}`);
      });
    }
  });
}

/** In the Worker: run the cases on the first message, posting each result as it finishes. */
export function serveCases(runAll: (onResult: (result: CaseResult) => void) => Promise<unknown>): void {
  const scope = self as unknown as { postMessage(message: unknown): void; onmessage: ((event: MessageEvent) => void) | null };
  scope.onmessage = async () => {
    const isWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' && typeof document === 'undefined';
    scope.postMessage({ type: 'hello', isWorker });
    try {
      await runAll((result) => scope.postMessage({ type: 'result', ...result }));
      scope.postMessage({ type: 'done' });
    } catch (error) {
      scope.postMessage({ type: 'crash', error: String((error as Error)?.stack ?? error) });
    }
  };
}
