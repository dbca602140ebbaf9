// The pick loop of the optimizers that evaluate a set of candidates per pick (naive: all of
// them; stochastic: a random sample) and accept the best.
import type { KernelExports } from '../kernels/wasm.js';
import { MORE } from './greedy-run.js';

/**
 * step() for `draw`, which puts the pick's candidates in place and returns how many: each
 * step evaluates up to `slice` of them, and the last one accepts the best.
 */
export function candidateSteps(kernels: KernelExports, draw: () => number, slice: number): () => number {
  let drawn = -1; // candidates drawn for the pick in progress, or -1
  let first = 0;
  return () => {
    if (drawn < 0) { drawn = draw(); first = 0; }
    kernels.evaluateCandidates(first, Math.min(drawn, first + slice));
    first += slice;
    if (first < drawn) return MORE;
    const count = drawn;
    drawn = -1;
    return kernels.acceptBest(count);
  };
}
