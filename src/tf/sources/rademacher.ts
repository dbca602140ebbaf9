// A small seeded generator of Rademacher (±1) probe vectors, independent of Math.random and of
// the runtime, so Hutchinson estimates are reproducible everywhere. Each (seed, stream) pair (the
// stream is the example's row) has its own sequence, so results do not depend on batch sizes.

/** murmur3's 32-bit finaliser: a bijective mix of a 32-bit integer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32 seeded from (seed, stream): 32 random bits per call. */
function generator(seed: number, stream: number): () => number {
  let state = fmix32(fmix32(seed >>> 0) ^ Math.imul((stream >>> 0) + 1, 0x9e3779b9)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * `length` independent ±1 values (each with probability ½), determined by `seed` and `stream`
 * (both integers in [0, 2^32)).
 */
export function rademacher(length: number, seed: number, stream = 0): Float32Array {
  const out = new Float32Array(length);
  const next = generator(seed, stream);
  for (let i = 0; i < length; i += 32) {
    let bits = next();
    const end = Math.min(length, i + 32);
    for (let j = i; j < end; j++, bits >>>= 1) out[j] = bits & 1 ? 1 : -1;
  }
  return out;
}
