// Stochastic greedy ("lazier than lazy", Mirzasoleiman et al. 2015): each pick evaluates a
// seeded random sample of the remaining candidates (docs/algorithms.md, section 3).
import { candidateSteps } from './candidates.js';
import { runGreedy, type PickStrategy } from './greedy-run.js';
import type { GroundSetOptimizer } from './types.js';

/** Stochastic greedy's sample per pick for a ground set of n points and k picks. */
export function stochasticSampleSize(n: number, k: number, epsilon: number, sampleSize?: number): number {
  const s = sampleSize ?? Math.ceil((n / k) * Math.log(1 / epsilon));
  return Math.max(1, Math.min(n, s));
}

const stochasticPicks: PickStrategy = {
  keepsBounds: false,
  async start({ kernels, n, budget, config, slice }) {
    const sample = stochasticSampleSize(n, budget, config.epsilon, config.sampleSize);
    return candidateSteps(kernels, () => kernels.stochasticCandidates(sample), slice);
  },
};

export const stochastic: GroundSetOptimizer = {
  select: (kernels, points, budget, config, pacer, frame, parallel) => runGreedy(kernels, points, budget, config, pacer, frame, stochasticPicks, {}, parallel),
};
