// Reusable SharedArrayBuffers for results that Workers write and this thread reads (the parts of a
// shared dense build): a part written into a kept shared buffer costs one copy into memory
// already touched, where a new transferable buffer per call costs its pages' first touch too
// (as much as the copy again; measured: 56-74 ms for 72 MB). Browsers give SharedArrayBuffer
// only to cross-origin-isolated pages; elsewhere take() returns undefined and the caller
// transfers a buffer of the Worker's instead.
const KEEP = 4;
const free: SharedArrayBuffer[] = [];

const globals = globalThis as unknown as { crossOriginIsolated?: boolean };

/** Whether shared buffers can be posted to Workers here (Node, Deno, cross-origin-isolated pages). */
export function sharedBuffersAvailable(): boolean {
  return typeof SharedArrayBuffer === 'function' && globals.crossOriginIsolated !== false;
}

/** A shared buffer of at least `bytes`, not in use elsewhere, or undefined where there are none. */
export function takeShared(bytes: number): SharedArrayBuffer | undefined {
  if (!sharedBuffersAvailable()) return undefined;
  const at = free.findIndex((buffer) => buffer.byteLength >= bytes);
  return at >= 0 ? free.splice(at, 1)[0] : new SharedArrayBuffer(Math.max(16, bytes));
}

/** Return a buffer from takeShared for the next call; only a few of the largest are kept. */
export function giveBackShared(buffer: SharedArrayBuffer): void {
  free.push(buffer);
  free.sort((a, b) => b.byteLength - a.byteLength);
  free.length = Math.min(free.length, KEEP);
}

/** Drop every kept buffer (releaseWorkers). */
export function releaseSharedBuffers(): void {
  free.length = 0;
}
