// Backend selection in the tfjs layer: initBackend's order and reasons, unknown, failing and hanging
// backends, and the injected tfjs namespace (useTensorFlow, the tf option).
import { equal, fail, ok, sameArray } from '../assert.ts';
import { caseList, isAdacoreError, near } from './helpers.ts';
import type { CurvatureCase, TfLib } from './types.ts';

let hangingBackends = 0;

export function backendCases(lib: TfLib): CurvatureCase[] {
  const { list, add } = caseList();
  const tf = lib.getTf();

  add('tf: initBackend() takes the first working backend of webgpu, wasm, cpu and says why the others failed', async () => {
    const choice = await lib.initBackend();
    sameArray(lib.DEFAULT_BACKEND_ORDER, ['webgpu', 'wasm', 'cpu'], 'default order');
    const names = choice.tried.map((t) => t.name);
    sameArray(names, lib.DEFAULT_BACKEND_ORDER.slice(0, names.length), 'attempts follow the order');
    const last = choice.tried[choice.tried.length - 1];
    ok(last.ok && last.name === choice.backend, `the last attempt is the chosen backend: ${JSON.stringify(choice)}`);
    for (const t of choice.tried.slice(0, -1)) ok(!t.ok && t.reason.length > 10, `a failed attempt gives its reason: ${JSON.stringify(t)}`);
    ok(choice.backend === 'wasm' || choice.backend === 'webgpu', `wasm or webgpu is chosen where SIMD exists, got ${JSON.stringify(choice)}`);
    equal(tf.getBackend(), choice.backend, 'tf.getBackend()');
    const probe = await lib.probeWebGPU();
    if (!probe.available || probe.fallback) {
      equal(choice.tried[0].name, 'webgpu', 'webgpu is tried first');
      ok(!choice.tried[0].ok, `webgpu is skipped without a hardware adapter (${probe.description})`);
    }
  });
  add('tf: initBackend falls through unknown and failing backends, and throws naming every reason when none works', async () => {
    const fallback = await lib.initBackend(['no-such-backend', 'cpu']);
    equal(fallback.backend, 'cpu', 'backend');
    ok(fallback.tried[0].reason.includes("no backend 'no-such-backend' is registered"), `reason: ${fallback.tried[0].reason}`);
    await isAdacoreError(lib, () => lib.initBackend(['nope-1', 'nope-2']), 'backend', ['nope-1', 'nope-2', 'no tfjs backend'], 'no working backend');
    await isAdacoreError(lib, () => lib.initBackend([]), 'order', ['non-empty'], 'empty order');
    equal(tf.getBackend(), 'cpu', 'the backend is unchanged by a failed initBackend');
  });
  add('tf: a backend that hangs times out, is removed from the registry, and the next one is used', async () => {
    const name = `hanging-${++hangingBackends}`;
    tf.registerBackend(name, () => new Promise(() => {}), 0);
    const started = Date.now();
    const choice = await lib.initBackend([name, 'cpu'], { timeoutMs: 150 });
    equal(choice.backend, 'cpu', 'backend');
    ok(choice.tried[0].reason.includes('timed out after 150 ms'), `reason: ${choice.tried[0].reason}`);
    ok(Date.now() - started < 5000, 'returns soon after the timeout');
    equal(tf.findBackendFactory(name), null, 'the hanging backend is no longer registered');
    const sum = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])));
    equal((await sum.data())[0], 6, 'ops run after the timeout');
    sum.dispose();
  });
  add('tf: useTensorFlow and the tf option take a tfjs namespace and reject anything else', async () => {
    const previous = lib.useTensorFlow(tf);
    equal(previous, undefined, 'no namespace was injected before');
    equal(lib.getTf(), tf, 'getTf() returns the injected namespace');
    const r = await lib.softmaxCrossEntropy({ logits: [[0, 0]], labels: [1], tf });
    near(r.gradients, [0.5, -0.5], 'with the tf option');
    equal(lib.useTensorFlow(null), tf, 'useTensorFlow(null) returns the previous namespace');
    equal(lib.getTf(), tf, 'back to the bundled namespace (the same object here)');
    try {
      lib.useTensorFlow({});
      fail('useTensorFlow({}) should throw');
    } catch (error) {
      ok(error instanceof lib.AdacoreError && (error as Error).message.includes('tfjs namespace'), `useTensorFlow({}): ${error}`);
    }
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits: [[0, 0]], labels: [1], tf: { tidy: 1 } }), 'tf', ['tfjs namespace'], 'tf option');
  });

  return list;
}
