// Deterministic test data: a seeded generator of our own (not the library's sampler) and the
// committed Fashion-MNIST slice, imported as a JS module so no runtime needs fs or permissions.
import { DIM, LABELS, PIXELS_BASE64, ROWS } from '../fixtures/fashion/slice.js';

/** splitmix32: a small seeded generator of uint32s, returned as floats in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates (Box-Muller) from a uniform generator. */
export function gaussian(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** n points in d dimensions around `clusters` random centres (a Float32Array, row-major). */
export function blobs(n: number, d: number, seed: number, clusters = 6, spread = 1): Float32Array {
  const uniform = random(seed);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: d }, () => 6 * (uniform() - 0.5)));
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const centre = centres[Math.floor(uniform() * clusters)];
    for (let j = 0; j < d; j++) out[i * d + j] = centre[j] + spread * normal();
  }
  return out;
}

/** A seeded Fisher-Yates permutation of 0..n-1. */
export function permutation(n: number, seed: number): Int32Array {
  const uniform = random(seed);
  const out = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = out[i]; out[i] = out[j]; out[j] = t;
  }
  return out;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export interface Fashion {
  rows: number;
  dim: number;
  /** uint8 pixels scaled to [0, 1]. */
  vectors: Float32Array;
  labels: Int32Array;
}

let fashionCache: Fashion | undefined;

/** The committed slice: the first 600 Fashion-MNIST test images (784 pixels) and labels. */
export function fashion(): Fashion {
  if (fashionCache) return fashionCache;
  const pixels = decodeBase64(PIXELS_BASE64);
  if (pixels.length !== ROWS * DIM || LABELS.length !== ROWS) throw new Error('test/fixtures/fashion/slice.js is inconsistent');
  const vectors = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) vectors[i] = pixels[i] / 255;
  fashionCache = { rows: ROWS, dim: DIM, vectors, labels: Int32Array.from(LABELS) };
  return fashionCache;
}
