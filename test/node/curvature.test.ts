// The tfjs layer on Node, against the built bundle dist/adacore-tf.mjs (run `npm run build`
// first): the shared cases (test/shared/curvature-cases.ts, also run by Deno and Chromium), then
// Node-only checks: a second tfjs copy injected with useTensorFlow, batching, sizes.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as bundle from '../../dist/adacore-tf.mjs';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as core from '../../dist/adacore.mjs';
import { curvatureCases, type TfLib } from '../shared/curvature-cases.ts';

const lib = bundle as unknown as TfLib & Record<string, any>;
const tf = lib.getTf();

describe('dist/adacore-tf.mjs on Node', async () => {
  for (const c of await curvatureCases(lib)) (c.skip ? it.skip : it)(c.skip ? `${c.name} (skipped: ${c.skip})` : c.name, c.run);
});

describe('dist/adacore-tf.mjs on Node only', () => {
  it('shares AdacoreError with dist/adacore.mjs and keeps tfjs out of the core bundle', async () => {
    expect(lib.AdacoreError).toBe(core.AdacoreError);
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../dist/adacore.mjs', import.meta.url), 'utf8');
    expect(source).not.toMatch(/@tensorflow\/|_tfengine|registerBackend/);
  });

  it('webgpu is skipped on Node without navigator.gpu, with the reason', async () => {
    const choice = await lib.initBackend();
    expect(choice.tried[0]).toMatchObject({ name: 'webgpu', ok: false });
    expect(choice.tried[0].reason).toMatch(/navigator\.gpu is absent/);
    expect(choice.backend).toBe('wasm');
  });

  it("a caller's own tfjs copy (node_modules' CJS tfjs-core + backend-cpu) works through useTensorFlow and the tf option", async () => {
    const require = createRequire(import.meta.url);
    const warn = console.warn;
    let warnings = 0;
    console.warn = () => { warnings++; };
    let userTf: any;
    try {
      userTf = require('@tensorflow/tfjs-core');
      require('@tensorflow/tfjs-backend-cpu');
    } finally {
      console.warn = warn;
    }
    expect(userTf).not.toBe(tf);
    // tfjs keeps one engine per JavaScript realm: both copies share it (and warn about kernels registered twice).
    expect(userTf.engine()).toBe(tf.engine());
    expect(warnings).toBeGreaterThan(0);
    await lib.initBackend(['cpu']);
    const logits = userTf.tensor2d([[1, 2, 3], [3, 1, 0]]);
    const labels = userTf.tensor1d([2, 0], 'int32');
    const before = userTf.memory().numTensors;
    const viaOption = await lib.softmaxCrossEntropy({ logits, labels, tf: userTf });
    expect(lib.useTensorFlow(userTf)).toBeUndefined();
    try {
      expect(lib.getTf()).toBe(userTf);
      const injected = await lib.softmaxCrossEntropy({ logits, labels });
      expect(Array.from(injected.gradients)).toEqual(Array.from(viaOption.gradients));
      const W = userTf.variable(userTf.tensor2d([[0.1, -0.2, 0.3], [0.0, 0.5, -0.1]]));
      const x = userTf.tensor2d([[1, 2], [-1, 0.5]]);
      const loss = ([w]: any[], xi: any, yi: any) =>
        userTf.neg(userTf.sum(userTf.mul(userTf.cast(userTf.oneHot(yi, 3), 'float32'), userTf.logSoftmax(userTf.matMul(xi, w)))));
      const auto = await lib.autogradCurvature({ loss, params: [W], x, y: labels, probes: 4 });
      const exact = await lib.lastLayer({ features: x, logits: userTf.matMul(x, W), labels, bias: false });
      for (let i = 0; i < exact.gradients.length; i++) expect(auto.gradients[i]).toBeCloseTo(exact.gradients[i], 5);
      userTf.dispose([W, x]);
    } finally {
      lib.useTensorFlow(null);
    }
    expect(lib.getTf()).toBe(tf);
    userTf.dispose([logits, labels]);
    // The tensors of the lastLayer call above (matMul) were the test's own: only those are gone.
    expect(userTf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('results do not depend on the batch size; 60,000 x 10 softmax rows take one batch and no tensor is left', async () => {
    await lib.initBackend(['wasm']);
    const rows = 60_000, classes = 10;
    const logits = new Float32Array(rows * classes);
    const labels = new Int32Array(rows);
    let s = 1;
    const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < logits.length; i++) logits[i] = 6 * next() - 3;
    for (let i = 0; i < rows; i++) labels[i] = Math.floor(next() * classes);
    const before = tf.memory().numTensors;
    const started = performance.now();
    const whole = await lib.softmaxCrossEntropy({ logits, labels });
    const ms = performance.now() - started;
    const batched = await lib.softmaxCrossEntropy({ logits, labels, batchSize: 7_000 });
    expect(tf.memory().numTensors).toBe(before);
    expect(whole.rows).toBe(rows);
    const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
    expect(same(batched.gradients, whole.gradients)).toBe(true);
    expect(same(batched.hessianDiagonals, whole.hessianDiagonals)).toBe(true);
    console.log(`softmaxCrossEntropy, 60,000 x 10 on wasm: ${ms.toFixed(0)} ms`);
    const ll = await lib.lastLayer({ features: logits.subarray(0, 600 * 10), logits: logits.subarray(0, 600 * 10), labels: labels.subarray(0, 600), batchSize: 64 });
    const llWhole = await lib.lastLayer({ features: logits.subarray(0, 600 * 10), logits: logits.subarray(0, 600 * 10), labels: labels.subarray(0, 600) });
    expect(same(ll.gradients, llWhole.gradients)).toBe(true);
    expect(ll.dim).toBe(10 * 11);
  });

  it('refuses outputs larger than one Float32Array can hold, before allocating', async () => {
    const x = tf.zeros([3, 2]);
    const huge = tf.zeros([3, 1]);
    try {
      await expect(lib.lastLayer({ features: tf.zeros([1, 1]), logits: [[1, 2]], labels: [0], batchSize: 0 })).rejects.toThrow(/batchSize/);
      await expect(lib.autogradCurvature({ loss: () => tf.scalar(1), params: [huge], x, y: x, batchSize: -1 })).rejects.toThrow(/batchSize/);
    } finally {
      tf.dispose([x, huge]);
    }
  });
});
