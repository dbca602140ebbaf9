// Naive greedy: every remaining candidate is evaluated for every pick. O(k n) evaluations:
// the oracle lazy greedy must equal, and a baseline for small n.
import { candidateSteps } from './candidates.js';
import { runGreedy, type PickStrategy } from './greedy-run.js';
import type { GroundSetOptimizer } from './types.js';

const naivePicks: PickStrategy = {
  keepsBounds: false,
  start: async ({ kernels, slice }) => candidateSteps(kernels, () => kernels.naiveCandidates(), slice),
};

export const naive: GroundSetOptimizer = {
  select: (kernels, points, budget, config, pacer, frame, parallel) => runGreedy(kernels, points, budget, config, pacer, frame, naivePicks, {}, parallel),
};
