// A small seeded random source for the fuzzers (scripts/fuzz.mjs, test/node/fuzz.test.ts):
// mulberry32, so that a run is reproduced exactly by its seed.

/** A deterministic random source from a 32-bit seed. */
export function makeRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    next,
    /** 0..n-1 */
    int,
    /** lo..hi inclusive */
    range: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick: (items) => items[int(items.length)],
    /** A seed for a derived source (one per iteration, so iterations can be replayed alone). */
    fork: () => (next() * 4294967296) >>> 0,
  };
}

/** The seed of iteration `i` of a run seeded `seed`: replaying one input needs only these two. */
export function iterationSeed(seed, i) {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (i + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (Math.imul(h, 0x27d4eb2d) ^ i) >>> 0;
}
