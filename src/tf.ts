/**
 * adacore/tf (dist/adacore-tf.mjs): the tfjs layer. Bundles tfjs-core 4.22.0 with its gradients
 * and the webgpu, wasm and cpu backends; the core bundle (dist/adacore.mjs) stays free of tfjs.
 * adacore/tf-peer (dist/adacore-tf-peer.mjs) has the same API on the caller's own tfjs-core.
 * Sharing tfjs with a caller's own: see tf/context.ts and docs/tfjs.md. The trainer (src/train)
 * is part of this face: it runs on tfjs.
 * @module adacore/tf
 */
export {
  initBackend, probeWebGPU, DEFAULT_BACKEND_ORDER, DEFAULT_BACKEND_TIMEOUT_MS,
  type BackendAttempt, type BackendChoice, type InitBackendOptions, type WebGPUProbe,
} from './tf/backend.js';
export { getTf, useTensorFlow, type TensorFlow, type Tensor, type TfOption } from './tf/context.js';
export { useNodeWebGPU, type DawnModule, type NodeWebGPUOptions } from './tf/node-webgpu.js';
export { onBackendChange, type BackendChange } from './tf/device-loss.js';
export { AdacoreError } from './tf/errors.js';
export * from './tf/sources/index.js';
export * from './train/index.js';
