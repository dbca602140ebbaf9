// One unit of tfjs work (a gradient source call, a train() run) run again on the next backend
// when the WebGPU device is lost during it. The unit starts on webgpu; if it fails and the
// device turns out lost (lost-devices.ts), the backend moves on along the order initBackend
// chose it from (by default wasm, then cpu), the change is reported (onBackendChange, else one
// console.warn), and the unit runs again from its start, so its result is what an uninterrupted
// run on the new backend gives. Nested units (train's selection calls a source) share one
// switch: an inner unit that cannot recover throws, and the outer one runs again.
import { chosenOrder, DEFAULT_BACKEND_ORDER, initBackend, type BackendAttempt } from './backend.js';
import { readyTf, type TensorFlow } from './context.js';
import { AdacoreError, messageOf } from './errors.js';
import { activeWebGPUDevice, lossOf, settleLoss, watchDevice } from './lost-devices.js';

/** A backend switch after a lost WebGPU device. */
export interface BackendChange {
  from: string;
  /** The backend now active. */
  to: string;
  /** Why the device was lost, as its GPUDeviceLostInfo says ("destroyed: ...", "unknown: ..."). */
  reason: string;
  /** The call that was interrupted and run again: 'lastLayer', 'train', ... */
  during: string;
  /** initBackend's attempts for the new backend. */
  tried: BackendAttempt[];
}

/** How long a failed unit waits for GPUDevice.lost to settle before its error counts as an ordinary one. */
const LOSS_GRACE_MS = 1000;

const listeners = new Set<(change: BackendChange) => void>();

/**
 * Call `listener` whenever adacore/tf switches backend because the WebGPU device was lost
 * during one of its calls. While at least one listener is registered, nothing is printed;
 * with none, each switch prints one console.warn line. Returns a function that unregisters it.
 */
export function onBackendChange(listener: (change: BackendChange) => void): () => void {
  if (typeof listener !== 'function') throw new AdacoreError('listener', `expected a function (change) => void, got ${typeof listener}`);
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/**
 * Runs `unit` on `explicit` (or the default tfjs) and, if the WebGPU device is lost during it,
 * switches backend and runs it once more. An aborted `signal` ends it without a retry.
 */
export async function recoverDeviceLoss<T>(during: string, explicit: TensorFlow | undefined, unit: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const tf = await readyTf(explicit);
  const device = activeWebGPUDevice(tf);
  if (device === undefined) return unit();
  watchDevice(device);
  // lost between calls: move on before starting
  const before = lossOf(device);
  if (before !== undefined) {
    await switchBackend(tf, device, before, during);
    return unit();
  }
  try {
    return await unit();
  } catch (error) {
    if (signal?.aborted) throw error;
    // a bad-input AdacoreError is not the device's doing unless the loss is already known
    const reason = lossOf(device) ?? (error instanceof AdacoreError ? undefined : await settleLoss(device, LOSS_GRACE_MS));
    if (reason === undefined) throw error;
    await switchBackend(tf, device, reason, during);
    try {
      return await unit();
    } catch (again) {
      if (signal?.aborted) throw again;
      throw new AdacoreError('backend', `the WebGPU device was lost during ${during} (${reason}); running it again on `
        + `'${tf.getBackend()}' failed too: ${messageOf(again) || (again as Error)?.name || 'no message'}. Tensors made on the `
        + 'lost device (a model\'s variables, logits) cannot be read any more: pass arrays, or make them again');
    }
  }
}

/**
 * Moves `tf` off the lost `device` unless that already happened (an inner unit switched): to the
 * backends after webgpu in the order it was chosen from, or the default order's.
 */
async function switchBackend(tf: TensorFlow, device: object, reason: string, during: string): Promise<void> {
  if (activeWebGPUDevice(tf) !== device) return;
  const order = chosenOrder(tf) ?? DEFAULT_BACKEND_ORDER;
  const after = order.slice(order.indexOf('webgpu') + 1);
  const next = after.length > 0 ? after : DEFAULT_BACKEND_ORDER.filter((name) => name !== 'webgpu');
  let tried: BackendAttempt[];
  try {
    ({ tried } = await initBackend(next, { tf }));
  } catch (error) {
    throw new AdacoreError('backend', `the WebGPU device was lost during ${during} (${reason}), and no other backend works: ${messageOf(error)}`);
  }
  const change: BackendChange = { from: 'webgpu', to: tf.getBackend(), reason, during, tried };
  if (listeners.size === 0) {
    console.warn(`adacore/tf: the WebGPU device was lost during ${during} (${reason}); switched to '${change.to}' to run ${during} again`);
  }
  for (const listener of listeners) listener(change);
}
