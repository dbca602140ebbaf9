// Loads the AssemblyScript kernels from bytes embedded in this module: no fs, no fetch,
// no import.meta.url, so the same file runs in Node, Deno (no permissions), browsers,
// Workers and bundlers. The Module is compiled once and cached; each selection gets its
// own Instance, so concurrent selections never share memory and a finished selection's
// memory is garbage-collected with its instance.
import { KERNELS_BASE64 } from './kernels-bytes.js';

export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  TILE: WebAssembly.Global;
  distanceBlock(a: number, normsA: number, rows: number, b: number, normsB: number, cols: number,
    dim4: number, out: number, ld: number, metric: number): void;
  squaredNorms(x: number, n: number, dim4: number, out: number): void;
  denseDistanceRows(x: number, norms: number, n: number, dim4: number, out: number, metric: number,
    tileStart: number, tileEnd: number): void;
  configure(n: number, dim4: number, metric: number, points: number, norms: number, dense: number, scratch: number): void;
  scratchBytes(n: number, dim4: number, tiled: number): number;
  reset(emptyDistance: number, seed: number): void;
  naivePick(): number;
  lazyInitRange(first: number, last: number): void;
  lazyHeapify(): void;
  lazyPick(): number;
  stochasticPick(sampleSize: number): number;
  lastGain(): number;
  evaluationCount(): number;
  minDistPtr(): number;
  nearestPtr(): number;
}

let compiled: Promise<WebAssembly.Module> | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array<ArrayBuffer> }).fromBase64;
  if (fromBase64) return fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The compiled kernel module (compiled once per process, then reused). */
export function compileKernels(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(KERNELS_BASE64));
  return compiled;
}

/** A fresh kernel instance with its own linear memory. */
export async function instantiateKernels(): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(await compileKernels(), {});
  return instance.exports as unknown as KernelExports;
}

/** Whether the engine validates our SIMD module (a cheap check reported by benchmarks). */
export async function simdSupported(): Promise<boolean> {
  try { await compileKernels(); return true; } catch { return false; }
}
