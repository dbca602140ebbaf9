// The tfjs layer's shared cases (test/shared/curvature-cases.ts) on Deno, against the built bundle
// dist/adacore-tf.mjs (run `npm run build` first). No permissions: the tfjs wasm binary is embedded
// as a data: URL. WebGPU runs where Deno finds an adapter (on Linux without a GPU: Mesa's lavapipe,
// apt-get install mesa-vulkan-drivers); otherwise that case is ignored.
import * as bundle from '../../dist/adacore-tf.mjs';
import { curvatureCases, type TfLib } from '../shared/curvature-cases.ts';

const lib = bundle as unknown as TfLib;

for (const c of await curvatureCases(lib)) {
  // tfjs keeps backend state (wasm instance, GPU device, timers it does not own) across cases.
  Deno.test({ name: c.name, ignore: c.skip !== undefined, sanitizeOps: false, sanitizeResources: false, fn: c.run });
}
