// The tfjs copy inside dist/adacore-tf.mjs: tfjs-core 4.22.0 with every gradient and chained op
// registered (tfjs-core alone registers neither), and the cpu, wasm and webgpu backends. The wasm
// backend's SIMD binary is embedded as a data: URL (scripts/embed-tfjs-wasm.mjs), so it loads
// with no fs, no fetch of a file and no Deno permissions. rollup.config.mjs patches tfjs's Node
// platform and Emscripten's Node branch so that the one bundle runs in Node, Deno and browsers.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TFJS_WASM_SIMD_URL } from './tfjs-wasm-bytes.js';

// Threaded wasm needs real .wasm URLs and crossOriginIsolated pages (never Node); it gained
// nothing on two cores. The plain (non-SIMD) and threaded names point at the SIMD binary only
// because setWasmPaths wants all three: with threads off and SIMD present, only the SIMD one is
// fetched, and initBackend does not try wasm where SIMD is missing.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': TFJS_WASM_SIMD_URL,
  'tfjs-backend-wasm-simd.wasm': TFJS_WASM_SIMD_URL,
  'tfjs-backend-wasm-threaded-simd.wasm': TFJS_WASM_SIMD_URL,
}, true);

// Comparisons are piecewise constant, but tfjs registers no gradient for them, so a second
// derivative through max (logSumExp, softmax cross-entropy losses) fails with "gradient function
// not found for Equal". Register the zero gradient where none exists. (tfjs keeps its gradient
// registry in a global, so this also reaches a caller's tfjs in the same realm; nothing is overridden.)
for (const kernelName of ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual']) {
  if (tf.getGradient(kernelName) == null) {
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => ({ a: () => tf.zerosLike(saved[0]), b: () => tf.zerosLike(saved[1]) }),
    });
  }
}

export { tf };
