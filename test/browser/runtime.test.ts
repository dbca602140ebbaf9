// The shared, runtime-neutral cases (test/shared/cases.ts) in Chromium: first in the page, then
// in a module Worker (test/browser/worker.ts), against the built bundle dist/adacore.mjs.
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as adacore from '../../dist/adacore.mjs';
import { cases, type CaseResult, type Lib } from '../shared/cases.ts';

const lib = adacore as unknown as Lib;
const all = cases(lib);

describe('dist/adacore.mjs in the Chromium page', () => {
  for (const c of all) it(c.name, c.run);
});

describe('dist/adacore.mjs in a Chromium module Worker', () => {
  const pending = new Map<string, { promise: Promise<CaseResult>; resolve: (r: CaseResult) => void }>();
  for (const c of all) {
    let resolve!: (r: CaseResult) => void;
    const promise = new Promise<CaseResult>((r) => { resolve = r; });
    pending.set(c.name, { promise, resolve });
  }
  let hello: Promise<{ isWorker: boolean }>;
  let crashed: string | undefined;

  beforeAll(() => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
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
    it(c.name, async () => {
      const result = await pending.get(c.name)!.promise;
      if (!result.ok) throw new Error(`in the worker: ${result.error}`);
    });
  }
});
