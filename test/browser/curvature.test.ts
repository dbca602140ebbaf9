// The tfjs layer's shared cases (test/shared/curvature-cases.ts) in Chromium: first in the page,
// then in a module Worker (test/browser/curvature-worker.ts), against dist/adacore-tf.mjs. WebGPU
// runs on SwiftShader (vitest.browser.config.mjs passes --enable-unsafe-webgpu); a case that needs
// an adapter is skipped where requestAdapter() gives none.
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as bundle from '../../dist/adacore-tf.mjs';
import { curvatureCases, type CurvatureResult, type TfLib } from '../shared/curvature-cases.ts';

const lib = bundle as unknown as TfLib;
const all = await curvatureCases(lib);
const title = (c: { name: string; skip?: string }) => (c.skip ? `${c.name} (skipped: ${c.skip})` : c.name);

describe('dist/adacore-tf.mjs in the Chromium page', () => {
  for (const c of all) (c.skip ? it.skip : it)(title(c), c.run);
});

describe('dist/adacore-tf.mjs in a Chromium module Worker', () => {
  const pending = new Map<string, { promise: Promise<CurvatureResult>; resolve: (r: CurvatureResult) => void }>();
  for (const c of all) {
    let resolve!: (r: CurvatureResult) => void;
    const promise = new Promise<CurvatureResult>((r) => { resolve = r; });
    pending.set(c.name, { promise, resolve });
  }
  let hello: Promise<{ isWorker: boolean }>;
  let crashed: string | undefined;

  beforeAll(() => {
    const worker = new Worker(new URL('./curvature-worker.ts', import.meta.url), { type: 'module' });
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
      if (result.skipped) throw new Error(`the page had a WebGPU adapter but the worker did not: ${result.skipped}`);
    });
  }
});
