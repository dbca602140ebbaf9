// Which WebGPU devices were lost, and why. tfjs's webgpu backend keeps one GPUDevice for its
// whole life and never looks at GPUDevice.lost: after a loss (a driver reset, a GPU taken away,
// device.destroy()) its reads reject and its tensors' data are gone, while small ops it runs on
// the CPU still succeed. adacore watches the promise itself, so that a failed call can tell a
// lost device from any other error (device-loss.ts) and initBackend never picks that backend
// instance again (backend.ts).
import type { TensorFlow } from './context.js';

/** What tfjs's WebGPUBackend holds that matters here: its device. */
interface GPUDeviceLike {
  lost?: Promise<{ reason?: string; message?: string }>;
}

/** Why each watched device was lost; undefined while it is fine. */
const watched = new WeakMap<object, { reason?: string }>();

/** The GPUDevice of `tf`'s webgpu backend when that backend is the active one; else undefined. */
export function activeWebGPUDevice(tf: TensorFlow): object | undefined {
  return tf.getBackend() === 'webgpu' ? registeredWebGPUDevice(tf) : undefined;
}

/** The GPUDevice of `tf`'s webgpu backend if one was created (without creating one). */
export function registeredWebGPUDevice(tf: TensorFlow): object | undefined {
  const registry = (tf.engine() as unknown as { registry?: Record<string, { device?: unknown }> }).registry;
  const device = registry?.webgpu?.device;
  return device !== null && typeof device === 'object' ? device : undefined;
}

/** Start watching `device` (once): when its `lost` promise settles, the reason is kept. */
export function watchDevice(device: object): void {
  if (watched.has(device)) return;
  const state: { reason?: string } = {};
  watched.set(device, state);
  const lost = (device as GPUDeviceLike).lost;
  if (lost === undefined || typeof lost.then !== 'function') return;
  lost.then(
    (info) => { state.reason = describeLoss(info); },
    () => { state.reason = 'unknown: its lost promise rejected'; },
  );
}

/** Why `device` was lost, or undefined if it is not known to be. */
export function lossOf(device: object): string | undefined {
  return watched.get(device)?.reason;
}

/**
 * Why `device` was lost, waiting up to `ms` for its `lost` promise (a read that failed because
 * of the loss may be reported before the promise settles); undefined if it is not lost by then.
 * The timer is cleared either way.
 */
export async function settleLoss(device: object, ms: number): Promise<string | undefined> {
  watchDevice(device);
  const lost = (device as GPUDeviceLike).lost;
  if (lossOf(device) !== undefined || lost === undefined) return lossOf(device);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([lost.catch(() => {}), new Promise((resolve) => { timer = setTimeout(resolve, ms); })]);
    // the promise's own handler (watchDevice) ran first if it settled: let it record the reason
    await Promise.resolve();
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  return lossOf(device);
}

function describeLoss(info: { reason?: string; message?: string } | undefined): string {
  const reason = info?.reason || 'unknown';
  return info?.message ? `${reason}: ${info.message}` : reason;
}
