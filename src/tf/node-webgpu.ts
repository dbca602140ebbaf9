// WebGPU in Node, which has no navigator.gpu: the `webgpu` npm package (Google's Dawn) provides
// one. useNodeWebGPU installs it where tfjs looks for it; initBackend then tries webgpu first,
// as in browsers and Deno. The package is the caller's (a native addon of about 130 MB): adacore
// does not depend on it.
import { AdacoreError } from './errors.js';

/** What `import * as webgpu from 'webgpu'` (0.6) gives: Dawn's GPU factory and its constants. */
export interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

export interface NodeWebGPUOptions {
  /** Dawn's flags, e.g. ['backend=opengles'] where its Vulkan backend rejects the driver. Default []. */
  flags?: string[];
  /**
   * Passed to every requestAdapter(): 'compatibility' for adapters that only offer WebGPU's
   * compatibility mode (Dawn's OpenGL ES backend). Default: the caller's options unchanged.
   */
  featureLevel?: 'core' | 'compatibility';
}

/**
 * Makes Dawn (the `webgpu` package) this process's navigator.gpu, so that adacore/tf's
 * initBackend can choose webgpu in Node. Call before initBackend; the webgpu backend is
 * registered on first use. Defines GPUBufferUsage and the other WebGPU constants globally where
 * they are missing, and keeps an existing navigator object (Node 21+) with gpu added.
 */
export function useNodeWebGPU(webgpu: DawnModule, options: NodeWebGPUOptions = {}): void {
  if (webgpu === null || typeof webgpu !== 'object' || typeof webgpu.create !== 'function' || webgpu.globals === null || typeof webgpu.globals !== 'object') {
    throw new AdacoreError('webgpu', "expected the `webgpu` package's namespace (import * as webgpu from 'webgpu'), with create() and globals");
  }
  const flags = options.flags ?? [];
  if (!Array.isArray(flags) || !flags.every((flag) => typeof flag === 'string')) {
    throw new AdacoreError('flags', `expected an array of Dawn flag strings such as ['backend=opengles'], got ${JSON.stringify(flags)}`);
  }
  const { featureLevel } = options;
  if (featureLevel !== undefined && featureLevel !== 'core' && featureLevel !== 'compatibility') {
    throw new AdacoreError('featureLevel', `expected 'core' or 'compatibility', got ${JSON.stringify(featureLevel)}`);
  }
  const scope = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(webgpu.globals)) if (!(name in scope)) scope[name] = value;
  const dawn = webgpu.create(flags);
  const gpu = {
    requestAdapter: (adapterOptions?: GPURequestAdapterOptions) =>
      dawn.requestAdapter(featureLevel === undefined ? adapterOptions : { ...adapterOptions, featureLevel } as GPURequestAdapterOptions),
    getPreferredCanvasFormat: () => 'rgba8unorm' as GPUTextureFormat,
    wgslLanguageFeatures: dawn.wgslLanguageFeatures,
  };
  const navigator = scope.navigator as Record<string, unknown> | undefined;
  if (navigator !== undefined && navigator !== null && Object.isExtensible(navigator)) {
    Object.defineProperty(navigator, 'gpu', { configurable: true, value: gpu });
  } else {
    Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { ...(navigator ?? { userAgent: 'node' }), gpu } });
  }
}
