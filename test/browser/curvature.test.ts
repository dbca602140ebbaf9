// The tfjs layer's shared cases (test/shared/curvature-cases.ts) in Chromium: first in the page,
// then in a module Worker (test/browser/curvature-worker.ts), against dist/adacore-tf.mjs. WebGPU
// runs on SwiftShader (vitest.browser.config.mjs passes --enable-unsafe-webgpu); a case that needs
// an adapter is skipped where requestAdapter() gives none.
import { describe, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as bundle from '../../dist/adacore-tf.mjs';
import { curvatureCases, type TfLib } from '../shared/curvature-cases.ts';
import { describeInWorker, title } from './harness.ts';

const lib = bundle as unknown as TfLib;
const all = await curvatureCases(lib);

describe('dist/adacore-tf.mjs in the Chromium page', () => {
  for (const c of all) (c.skip ? it.skip : it)(title(c), c.run);
});

describeInWorker('dist/adacore-tf.mjs in a Chromium module Worker', new URL('./curvature-worker.ts', import.meta.url), all);
