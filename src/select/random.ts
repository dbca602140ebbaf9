// The one seeded generator of the selection code, shared with assembly/candidates.ts's sampler
// so that the TypeScript reference reproduces the kernels' stochastic picks exactly.

/** mulberry32: 32 random bits per call, the same sequence in every runtime. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The per-class sampler seed: classes draw independent streams from one user seed. */
export function classSeed(seed: number, classIndex: number): number {
  return (seed + Math.imul(classIndex, 0x9e3779b9)) >>> 0;
}
