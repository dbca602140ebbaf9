// adacore/tf (dist/adacore-tf.mjs): the tfjs layer. Bundles tfjs-core 4.22.0 with its gradients
// and the webgpu, wasm and cpu backends; the core bundle (dist/adacore.mjs) stays free of tfjs.
// Sharing tfjs with a caller's own: see context.ts and docs/tfjs.md.
export {
  initBackend, probeWebGPU, DEFAULT_BACKEND_ORDER, DEFAULT_BACKEND_TIMEOUT_MS,
  type BackendAttempt, type BackendChoice, type InitBackendOptions, type WebGPUProbe,
} from './backend.js';
export { getTf, useTensorFlow, type TensorFlow, type Tensor, type TfOption } from './context.js';
export { useNodeWebGPU, type DawnModule, type NodeWebGPUOptions } from './node-webgpu.js';
export { AdacoreError } from './errors.js';
export * from './sources/index.js';
