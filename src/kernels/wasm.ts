// Loads the AssemblyScript kernels from bytes embedded in this module: no fs, no fetch,
// no import.meta.url, so the same file runs in Node, Deno (no permissions), browsers,
// Workers and bundlers. The Module is compiled once and cached. Each running selection has
// an Instance (and linear memory) of its own, so concurrent selections never share memory;
// one finished instance is kept for the next selection, because re-selecting every epoch
// is the common case and touching fresh pages of a new memory costs as much as a
// distance build at low dimension.
import { AdacoreError } from '../errors.js';
import { KERNELS_BASE64 } from './kernels-bytes.js';

export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  TILE: WebAssembly.Global;
  /** The metric codes (assembly/metric.ts); src/select/metric.ts's descriptors agree with them (a test checks). */
  METRIC_EUCLIDEAN: WebAssembly.Global;
  METRIC_SQEUCLIDEAN: WebAssembly.Global;
  METRIC_COSINE: WebAssembly.Global;
  distanceBlock(a: number, normsA: number, rows: number, b: number, normsB: number, cols: number,
    width: number, out: number, ld: number, metric: number): void;
  squaredNorms(x: number, n: number, width: number, out: number): void;
  interleaveRows(src: number, n: number, width: number, dst: number): void;
  denseDistanceRows(packed: number, norms: number, n: number, width: number, out: number, metric: number,
    tileStart: number, tileEnd: number): void;
  configure(n: number, width: number, metric: number, points: number, norms: number, dense: number, scratch: number): void;
  /** Point weights for the gains (after configure; 0 = all ones). */
  setWeights(weights: number): void;
  scratchBytes(n: number, width: number, tiled: number): number;
  reset(emptyDistance: number, seed: number): void;
  naiveCandidates(): number;
  stochasticCandidates(sampleSize: number): number;
  evaluateCandidates(first: number, last: number): void;
  acceptBest(count: number): number;
  lazyInitRange(first: number, last: number): void;
  lazyHeapify(): void;
  /** The pick, or -2 when maxEvaluations ran out first (call again), -1 when none is left. */
  lazyPick(maxEvaluations: number): number;
  compactRows(starts: number, indices: number, distances: number, capacity: number): number;
  lazyRefresh(): void;
  lastGain(): number;
  evaluationCount(): number;
  minDistPtr(): number;
  nearestPtr(): number;
  assignThroughOwners(outside: number, count: number, owners: number, radii: number, picks: number, k: number, found: number, nearestOut: number, distanceOut: number): void;
  assignNearest(points: number, norms: number, n: number, chosen: number, chosenNorms: number, k: number,
    width: number, metric: number, panel: number, panelRows: number, nearestOut: number, distanceOut: number): void;
}

/** Floats per row in kernel memory: the kernels read 4 at a time (one f32x4). */
export function paddedWidth(dim: number): number {
  return Math.ceil(dim / 4) * 4;
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

/**
 * Use `module` as the kernels instead of compiling the embedded bytes: for runtimes that forbid
 * compiling WebAssembly at run time (Cloudflare workerd, whose `import kernels from
 * './kernels.wasm'` gives a compiled module; dist/adacore.workerd.mjs does this). `module` must
 * be adacore's dist/kernels.wasm of the same version: its exports are checked, not its code.
 * Call it before the first selection; later calls replace the module for new instances.
 */
export function useKernelModule(module: WebAssembly.Module): void {
  if (!(module instanceof WebAssembly.Module)) {
    throw new AdacoreError('module', `expected a WebAssembly.Module (import kernels from 'adacore/kernels.wasm'), got ${module === null ? 'null' : typeof module}`);
  }
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = KERNEL_EXPORTS.filter((name) => !exported.has(name));
  if (missing.length > 0) {
    throw new AdacoreError('module', `is not adacore's kernels.wasm (or is another version's): it lacks ${missing.join(', ')}`);
  }
  compiled = Promise.resolve(module);
  idle = undefined;
}

/** Names every kernel module must export (those the host calls). */
const KERNEL_EXPORTS = [
  'memory', 'heapBase', 'distanceBlock', 'squaredNorms', 'interleaveRows', 'denseDistanceRows', 'configure', 'setWeights',
  'scratchBytes', 'reset', 'naiveCandidates', 'stochasticCandidates', 'evaluateCandidates', 'acceptBest', 'lazyInitRange',
  'lazyHeapify', 'lazyPick', 'compactRows', 'lazyRefresh', 'lastGain', 'evaluationCount', 'minDistPtr', 'nearestPtr',
  'assignThroughOwners', 'assignNearest', 'TILE', 'METRIC_EUCLIDEAN', 'METRIC_SQEUCLIDEAN', 'METRIC_COSINE',
];

/** The compiled kernel module (compiled once per process, then reused). */
export function compileKernels(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(KERNELS_BASE64)).catch((error: unknown) => {
    // a browser names 'unsafe-eval', which would allow far more than the kernels need
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`adacore could not compile its WebAssembly kernels (${reason}). A page's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src (not 'unsafe-eval'); a runtime that compiles WebAssembly only at deploy time needs the kernels as a module (useKernelModule, docs/platform.md section 3)`, { cause: error });
  });
  return compiled;
}

/** A fresh kernel instance with its own linear memory. */
export async function instantiateKernels(): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(await compileKernels(), {});
  return instance.exports as unknown as KernelExports;
}

let idle: KernelExports | undefined;

/** An instance for one selection: the kept one if it is free, else a new one. */
export async function acquireKernels(): Promise<KernelExports> {
  const kept = idle;
  idle = undefined;
  return kept ?? instantiateKernels();
}

/** Hand an instance back after a selection; it is kept for the next one. */
export function releaseKernels(kernels: KernelExports): void {
  idle = kernels;
}

/** Drop the kept instance, so its memory (the size of the largest selection so far) can be freed. */
export function releaseKernelMemory(): void {
  idle = undefined;
}

/** Whether the engine validates our SIMD module (a cheap check reported by benchmarks). */
export async function simdSupported(): Promise<boolean> {
  try { await compileKernels(); return true; } catch { return false; }
}
