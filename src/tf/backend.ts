// Backend selection for the bundled tfjs (or a caller's): the first of webgpu, wasm, cpu that
// initialises and runs an op, each attempt under a timeout, with the reason every other one failed.
import type { TensorFlow } from './context.js';
import { bundledTensorFlow, checkTensorFlow, getTf, registerBundledTensorFlow } from './context.js';
import { AdacoreError, ensure, messageOf } from './errors.js';
import { lossOf, registeredWebGPUDevice } from './lost-devices.js';
import { tf as bundled, EMBEDS_WASM_SIMD_ONLY, prepareBundled, registerWebGPUBackend } from './tfjs-bundled.js';

/** initBackend's default order: GPU first, then SIMD WebAssembly, then plain JavaScript. */
export const DEFAULT_BACKEND_ORDER: readonly string[] = Object.freeze(['webgpu', 'wasm', 'cpu']);
/** How long one backend may take to initialise and run its first op before it counts as failed. */
export const DEFAULT_BACKEND_TIMEOUT_MS = 15_000;

/** One backend initBackend tried. */
export interface BackendAttempt {
  name: string;
  ok: boolean;
  /** Why it failed, or for the chosen one what it runs on (e.g. the WebGPU adapter). */
  reason: string;
  /** Time spent on this attempt. */
  ms: number;
}

/** initBackend's result: the backend now active, and every attempt in order. */
export interface BackendChoice {
  backend: string;
  tried: BackendAttempt[];
}

export interface InitBackendOptions {
  /** The tfjs namespace whose backend to set; default getTf() (the injected one, else the bundled one). */
  tf?: TensorFlow;
  /** Limit per attempt, ms (default 15000). A backend that hangs is removed from tfjs's registry. */
  timeoutMs?: number;
  /**
   * Accept a software WebGPU adapter (SwiftShader, lavapipe, llvmpipe: `isFallbackAdapter`).
   * Default false: on the CPU such an adapter is 6 to 45 times slower than the wasm backend, so
   * webgpu is skipped with that reason and the next backend is tried.
   */
  allowFallbackAdapter?: boolean;
}

/** What probeWebGPU found. */
export interface WebGPUProbe {
  /** navigator.gpu exists and requestAdapter() gave an adapter. */
  available: boolean;
  /** The adapter is a software fallback (see InitBackendOptions.allowFallbackAdapter). */
  fallback: boolean;
  /** Vendor / architecture / device of the adapter, or why there is none. */
  description: string;
}

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|warp|basic render/i;

class Timeout extends Error {}

/** `promise`, or a Timeout rejection after `ms`; the timer never keeps the process alive past it. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Timeout(`${what} timed out after ${ms} ms`)), ms); }),
    ]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * Whether this runtime offers a WebGPU adapter, and whether it is a software one. Never throws;
 * resolves within `timeoutMs`. Tests use it to skip webgpu checks where requestAdapter() is null.
 */
export async function probeWebGPU(timeoutMs = DEFAULT_BACKEND_TIMEOUT_MS): Promise<WebGPUProbe> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(options?: object): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu || typeof gpu.requestAdapter !== 'function') {
    return { available: false, fallback: false, description: 'navigator.gpu is absent: no WebGPU in this runtime' };
  }
  let adapter: AdapterLike | null;
  try {
    adapter = (await within(gpu.requestAdapter(), timeoutMs, 'navigator.gpu.requestAdapter()')) as AdapterLike | null;
  } catch (error) {
    return { available: false, fallback: false, description: `navigator.gpu.requestAdapter() failed: ${messageOf(error)}` };
  }
  if (!adapter) {
    return {
      available: false, fallback: false,
      description: 'navigator.gpu.requestAdapter() returned null: no WebGPU adapter (Chromium needs --enable-unsafe-webgpu '
        + 'without a GPU; Deno on Linux needs a Vulkan driver such as mesa-vulkan-drivers)',
    };
  }
  const info = adapter.info ?? {};
  const description = [info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(' / ') || 'unnamed adapter';
  const fallback = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || SOFTWARE_ADAPTER.test(description);
  return { available: true, fallback, description };
}

/** The reason `name` cannot be tried at all, checked before calling tfjs; undefined if it can. */
async function precheck(tf: TensorFlow, name: string, options: Required<Omit<InitBackendOptions, 'tf'>>): Promise<string | undefined> {
  if (name === 'webgpu') {
    const probe = await probeWebGPU(options.timeoutMs);
    if (!probe.available) return probe.description;
    if (probe.fallback && !options.allowFallbackAdapter) {
      return `the only WebGPU adapter is a software fallback (${probe.description}), slower than wasm on the CPU; `
        + 'pass { allowFallbackAdapter: true } to use it';
    }
    // tfjs registers it at import time only if navigator.gpu existed then (in Node,
    // useNodeWebGPU defines it later): the bundled tfjs registers it now
    if (tf === bundled) registerWebGPUBackend();
    const lost = lostWebGPUBackend(tf);
    if (lost !== undefined) return lost;
    if (tf.findBackendFactory(name) == null) {
      return 'navigator.gpu exists but the webgpu backend is not registered in this tfjs: it registers it at import time '
        + 'only when navigator.gpu is defined, so define navigator.gpu before importing tfjs-backend-webgpu';
    }
    return undefined;
  }
  if (tf.findBackendFactory(name) == null) {
    return `no backend '${name}' is registered in this tfjs (registered: ${Object.keys(tf.engine().registryFactory).join(', ') || 'none'})`;
  }
  if (name === 'wasm') {
    if (typeof WebAssembly !== 'object') return 'this runtime has no WebAssembly';
    // Cloudflare workerd compiles WebAssembly only at deploy time; tfjs's wasm backend would
    // then hang until the timeout instead of failing
    const refused = await runtimeCompileRefused();
    if (refused !== undefined) return `this runtime does not compile WebAssembly at run time (${refused}), which the wasm backend needs`;
    if (tf === bundled && EMBEDS_WASM_SIMD_ONLY && !(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) {
      return 'this runtime has no WebAssembly SIMD, and adacore embeds only the SIMD build of the tfjs wasm backend';
    }
  }
  return undefined;
}

/** Why compiling the smallest WebAssembly module fails here, or undefined when it works. */
async function runtimeCompileRefused(): Promise<string | undefined> {
  try {
    await WebAssembly.compile(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}

/** After a timed-out init, tfjs would keep waiting for it: drop the backend so the engine is usable. */
function abandon(tf: TensorFlow, name: string): void {
  try {
    tf.removeBackend(name);
  } catch {
    // already gone
  }
}

let bundledChoice: Promise<BackendChoice> | undefined;

/**
 * Sets the tfjs backend: the first of `order` that initialises and runs a small op within
 * `timeoutMs`, and reports every attempt (`tried`) with the reason each failed. Default order
 * webgpu, wasm, cpu; a software WebGPU adapter is skipped unless allowFallbackAdapter. Works on the
 * bundled tfjs or, with the tf option (or useTensorFlow), on a caller's. Throws an AdacoreError
 * naming every reason when none works. Calling it again switches backend (tensors move along).
 */
export async function initBackend(order: readonly string[] = DEFAULT_BACKEND_ORDER, options: InitBackendOptions = {}): Promise<BackendChoice> {
  ensure(Array.isArray(order) && order.length > 0 && order.every((name) => typeof name === 'string' && name.length > 0), 'order',
    `expected a non-empty list of backend names such as ${JSON.stringify(DEFAULT_BACKEND_ORDER)}, got ${JSON.stringify(order)}`);
  if (options.tf !== undefined) checkTensorFlow(options.tf);
  const tf = options.tf ?? getTf();
  const timeoutMs = options.timeoutMs ?? DEFAULT_BACKEND_TIMEOUT_MS;
  ensure(Number.isFinite(timeoutMs) && timeoutMs > 0, 'timeoutMs', `expected a positive number of milliseconds, got ${timeoutMs}`);
  const settings = { timeoutMs, allowFallbackAdapter: options.allowFallbackAdapter ?? false };

  const tried: BackendAttempt[] = [];
  for (const name of order) {
    const started = now();
    const attempt = (ok: boolean, reason: string) => {
      tried.push({ name, ok, reason, ms: Math.round((now() - started) * 10) / 10 });
    };
    const skip = await precheck(tf, name, settings);
    if (skip !== undefined) {
      attempt(false, skip);
      continue;
    }
    try {
      const ok = await within(tf.setBackend(name), timeoutMs, `initialising '${name}'`);
      if (!ok) {
        attempt(false, `tf.setBackend('${name}') returned false: its initialisation failed (tfjs logged the cause)`);
        continue;
      }
      const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])));
      let values: ArrayLike<number>;
      try {
        values = (await within(sum.data(), timeoutMs, `a first op on '${name}'`)) as ArrayLike<number>;
      } finally {
        sum.dispose();
      }
      if (values[0] !== 4 || values[1] !== 6) {
        attempt(false, `a first op gave wrong values ([1,2] + [3,4] = [${Array.from(values).join(',')}])`);
        continue;
      }
      attempt(true, name === 'webgpu' ? `adapter ${(await probeWebGPU(timeoutMs)).description}` : 'initialised and ran a first op');
      const choice = { backend: name, tried };
      chosenOrders.set(tf, order.slice());
      if (tf === bundled) bundledChoice = Promise.resolve(choice);
      return choice;
    } catch (error) {
      if (error instanceof Timeout) {
        abandon(tf, name);
        attempt(false, `${error.message}; removed '${name}' from tfjs's registry so that it cannot block later calls`);
      } else {
        attempt(false, messageOf(error));
      }
    }
  }
  throw new AdacoreError('backend', `no tfjs backend of ${JSON.stringify(order)} works: ${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')}`);
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** The order each tfjs namespace's backend was last chosen from (device-loss.ts falls back along it). */
const chosenOrders = new WeakMap<TensorFlow, readonly string[]>();

/** The order `tf`'s current backend was chosen from by initBackend, or undefined if initBackend did not choose it. */
export function chosenOrder(tf: TensorFlow): readonly string[] | undefined {
  return chosenOrders.get(tf);
}

/**
 * Why webgpu is skipped when tfjs's webgpu backend instance has a lost device (tfjs would reuse
 * it: its small ops run on the CPU and pass the first-op check, its real work fails); undefined
 * if there is no instance yet or its device is fine (lost-devices.ts).
 */
function lostWebGPUBackend(tf: TensorFlow): string | undefined {
  const device = registeredWebGPUDevice(tf);
  const reason = device === undefined ? undefined : lossOf(device);
  return reason === undefined ? undefined
    : `the webgpu backend's device was lost (${reason}) and tfjs keeps that device for the backend's life; `
      + "adacore does not use it again (after tf.removeBackend('webgpu'), a webgpu backend registered anew gets a new device; "
      + 'the bundled tfjs registers one by itself)';
}

// The bundled tfjs gets a backend on first use: the default order, unless the caller already set
// one (initBackend, or tf.setBackend on the shared engine). In the peer build (adacore/tf-peer)
// the tfjs is the caller's, and prepareBundled leaves the choice to it (tf.ready()).
registerBundledTensorFlow(bundled, async () => {
  const tf = bundledTensorFlow();
  await prepareBundled(tf, () => {
    if (bundledChoice === undefined && !tf.getBackend()) {
      bundledChoice = initBackend(DEFAULT_BACKEND_ORDER, { tf });
      bundledChoice.catch(() => { bundledChoice = undefined; });
    }
    return bundledChoice;
  });
  await tf.ready();
});
