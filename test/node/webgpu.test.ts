// WebGPU in Node through the `webgpu` package (Dawn), installed after the bundle was imported
// with useNodeWebGPU: initBackend then chooses webgpu (tfjs had not registered it at import),
// and the shared webgpu case (every gradient source agrees with cpu) runs here too. Without a
// GPU, Dawn's Vulkan backend rejects Debian 12's lavapipe, so the OpenGL ES backend in
// compatibility mode on Mesa's llvmpipe is used (EGL_PLATFORM=surfaceless; libegl1,
// libegl-mesa0, libgles2). Correctness only: software WebGPU is far slower than wasm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as bundle from '../../dist/adacore-tf.mjs';
import * as webgpu from 'webgpu';
import { curvatureCases, type TfLib } from '../shared/curvature-cases.ts';

const lib = bundle as unknown as TfLib & Record<string, any>;

describe('adacore/tf on Node with Dawn (the webgpu package)', () => {
  let warn: typeof console.warn;
  beforeAll(() => {
    process.env.EGL_PLATFORM ??= 'surfaceless';
    // Dawn's compatibility mode logs a warning about capped limits for every device
    warn = console.warn;
    console.warn = (...args: unknown[]) => { if (!/artificially reduced/.test(String(args[0]))) warn(...args); };
  });
  afterAll(() => { console.warn = warn; });

  it('rejects what is not the webgpu package, naming the argument', () => {
    expect(() => lib.useNodeWebGPU({})).toThrow(/webgpu: expected the `webgpu` package's namespace/);
    expect(() => lib.useNodeWebGPU(webgpu, { flags: 'backend=opengles' })).toThrow(/flags: expected an array of Dawn flag strings/);
    expect(() => lib.useNodeWebGPU(webgpu, { featureLevel: 'full' })).toThrow(/featureLevel: expected 'core' or 'compatibility'/);
  });

  it('before useNodeWebGPU webgpu is skipped (no navigator.gpu); after it, initBackend chooses webgpu', async () => {
    expect((await lib.probeWebGPU()).available).toBe(false);
    lib.useNodeWebGPU(webgpu, { flags: ['backend=opengles'], featureLevel: 'compatibility' });
    const probe = await lib.probeWebGPU();
    expect(probe.available).toBe(true);
    expect(probe.fallback).toBe(true); // llvmpipe: a software adapter
    const skipped = await lib.initBackend(['webgpu', 'cpu']);
    expect(skipped.backend).toBe('cpu');
    expect(skipped.tried[0].reason).toMatch(/software fallback/);
    const choice = await lib.initBackend(['webgpu'], { allowFallbackAdapter: true });
    expect(choice.backend).toBe('webgpu');
    expect(choice.tried[0].reason).toMatch(/llvmpipe/);
    await lib.initBackend(['cpu']);
  });

  it('the shared webgpu case: every gradient source on webgpu agrees with cpu', async () => {
    const cases = await curvatureCases(lib);
    const shared = cases.find((c) => c.name.startsWith('[webgpu]'));
    expect(shared?.skip).toBeUndefined();
    await shared!.run();
  });
}, 120_000);
