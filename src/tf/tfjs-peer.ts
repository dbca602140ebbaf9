// The tfjs of dist/adacore-tf-peer.mjs (the "adacore/tf-peer" export): the caller's own
// @tensorflow/tfjs-core, imported as a peer dependency, with nothing of tfjs bundled. rollup.config.mjs
// builds the peer bundle from the same sources as dist/adacore-tf.mjs with this module in place of
// tfjs-bundled.ts. Nothing is registered that the caller's tfjs already has (no backend, no kernel,
// no gradient twice), so there are no "already registered" warnings and no import order to keep.
// The caller's tfjs chooses the backend (tf.ready()); initBackend still picks among the backends
// their tfjs registered.
import * as tf from '@tensorflow/tfjs-core';
import { registerComparisonGradients } from './comparison-gradients.js';
import { AdacoreError } from './errors.js';

export { tf };

registerComparisonGradients(tf);

/** The caller's wasm backend brings its own binaries (SIMD or not); tfjs chooses among them. */
export const EMBEDS_WASM_SIMD_ONLY = false;

/**
 * tfjs-core alone registers no gradients (@tensorflow/tfjs and tfjs-node do). Say so once, up
 * front, instead of letting the first gradient fail deep inside a source.
 */
export async function prepareBundled(peer: typeof tf): Promise<void> {
  if (peer.getGradient('Exp') == null || peer.getGradient('BatchMatMul') == null) {
    throw new AdacoreError('tf', 'the tfjs that adacore/tf-peer found (@tensorflow/tfjs-core) has no gradients registered: '
      + "import '@tensorflow/tfjs' (or tfjs-node), which registers them, or use the self-contained adacore/tf");
  }
}

/** The caller's @tensorflow/tfjs-backend-webgpu registers webgpu itself when it is imported. */
export function registerWebGPUBackend(): void {}
