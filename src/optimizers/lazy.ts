// Lazy greedy (Minoux's accelerated greedy): gains only shrink as picks are added, so stale
// gains in a max-heap are upper bounds; only the top is re-evaluated. Exactly naive greedy's
// picks (ties to the lowest index), usually with far fewer evaluations.
import { runGreedy, type PickStrategy } from './greedy-run.js';
import type { GroundSetOptimizer } from './types.js';

export const lazyPicks: PickStrategy = {
  keepsBounds: true,
  async start({ kernels, n, slice, pacer, frame }) {
    // the initial bounds are the singleton gains: the one pass over every candidate
    for (let first = 0; first < n; first += slice) {
      kernels.lazyInitRange(first, Math.min(n, first + slice));
      await pacer.tick(() => frame('bounds', Math.min(n, first + slice), n, 0));
    }
    kernels.lazyHeapify();
    return () => kernels.lazyPick(slice);
  },
};

export const lazy: GroundSetOptimizer = {
  select: (kernels, points, budget, config, pacer, frame, parallel) => runGreedy(kernels, points, budget, config, pacer, frame, lazyPicks, {}, parallel),
};
