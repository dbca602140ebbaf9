// The tfjs copy inside dist/adacore-tf.mjs: tfjs-core 4.22.0 with every gradient and chained op
// registered (tfjs-core alone registers neither), and the cpu, wasm and webgpu backends. The wasm
// backend's SIMD binary is embedded as a data: URL (scripts/embed-tfjs-wasm.mjs), so it loads
// with no fs, no fetch of a file and no Deno permissions. rollup.config.mjs patches tfjs's Node
// platform and Emscripten's Node branch so that the one bundle runs in Node, Deno and browsers.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TFJS_WASM_SIMD_URL } from './tfjs-wasm-bytes.js';
import { registerComparisonGradients } from './comparison-gradients.js';
import { serveEmbeddedWasm } from './wasm-binary.js';

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
// answered from the embedded bytes, not fetched (a page's connect-src would block it)
serveEmbeddedWasm(tf, TFJS_WASM_SIMD_URL);

registerComparisonGradients(tf);

export { tf };

/** Only the SIMD build of the wasm backend is embedded (initBackend skips wasm without SIMD). */
export const EMBEDS_WASM_SIMD_ONLY = true;

/** Gets a backend ready on first use: initBackend's default order unless one was chosen. */
export async function prepareBundled(_tf: typeof tf, chooseDefault: () => Promise<unknown> | undefined): Promise<void> {
  await chooseDefault();
}

/**
 * Registers the webgpu backend when navigator.gpu appeared after this module loaded (tfjs
 * registers it at import time only if navigator.gpu exists then; in Node it is defined later by
 * useNodeWebGPU). The factory is tfjs-backend-webgpu 4.22's own (dist/base.js), restated.
 */
export function registerWebGPUBackend(): void {
  if (tf.findBackendFactory('webgpu') != null) return;
  tf.registerBackend('webgpu', async () => {
    const gpu = (globalThis as unknown as { navigator: { gpu: GPU } }).navigator.gpu;
    const adapter = await gpu.requestAdapter({
      powerPreference: tf.env().get('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance',
    });
    if (adapter === null) throw new Error('navigator.gpu.requestAdapter() returned null');
    const requiredFeatures: GPUFeatureName[] = [];
    if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
    if (adapter.features.has('bgra8unorm-storage')) requiredFeatures.push('bgra8unorm-storage');
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      requiredFeatures,
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    return new WebGPUBackend(device, (adapter as unknown as { info?: GPUAdapterInfo }).info);
  }, 3);
}
