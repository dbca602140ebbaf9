// A plain TypeScript facility-location greedy in float64 with exact distances: the oracle
// the kernels are tested against. It follows the kernels' rules exactly (ties to the lowest
// index, strict improvement for reassignment, the same sampler for stochastic greedy) but
// shares none of their arithmetic. Lazy greedy is by definition naive greedy's picks, so
// both run the naive loop here. O(n^2 d) time and n^2 float64 memory per ground set.
import { groundSets, mergeGroundSets, type Ground } from '../select/classes.js';
import type { GroundSetSelection } from '../select/facility-location.js';
import { emptyDistance } from '../select/ground-set.js';
import { classSeed, resolveBudget, resolveOptions, stochasticSampleSize, type Metric, type SelectOptions, type ResolvedOptions } from '../select/options.js';
import { toRows, type Rows, type VectorsInput } from '../select/vectors.js';

export function referenceSelectCoreset(vectors: VectorsInput, options: SelectOptions = {}) {
  const config = resolveOptions(options);
  const rows = toRows(vectors, options.dim);
  const budget = resolveBudget(options, rows.count);
  const results = groundSets(rows, options.labels, budget).map((ground: Ground, c) => ({
    ground, selection: referenceGroundSet(rows, ground.members, ground.budget, { ...config, seed: classSeed(config.seed, c) }),
  }));
  return { ...mergeGroundSets(results), budget, metric: config.metric, optimizer: config.optimizer };
}

/** Exact distance between two rows in float64. */
export function exactDistance(a: ArrayLike<number>, b: ArrayLike<number>, metric: Metric): number {
  if (metric === 'cosine') {
    let dot = 0, na = 0, nb = 0;
    for (let j = 0; j < a.length; j++) { dot += a[j] * b[j]; na += a[j] * a[j]; nb += b[j] * b[j]; }
    return na > 0 && nb > 0 ? Math.max(0, 1 - dot / Math.sqrt(na * nb)) : 1;
  }
  let sum = 0;
  for (let j = 0; j < a.length; j++) { const d = a[j] - b[j]; sum += d * d; }
  return metric === 'euclidean' ? Math.sqrt(sum) : sum;
}

/** mulberry32, as in assembly/greedy.ts. */
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

function referenceGroundSet(rows: Rows, members: Int32Array, budget: number, config: ResolvedOptions): GroundSetSelection {
  const n = members.length;
  const distances = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const d = exactDistance(rows.row(members[a]), rows.row(members[b]), config.metric);
      distances[a * n + b] = d;
      distances[b * n + a] = d;
    }
  }
  const minDist = new Float64Array(n).fill(emptyDistance(rows, members, config.metric));
  const nearest = new Int32Array(n).fill(-1);
  const remaining = Int32Array.from({ length: n }, (_, i) => i);
  const position = Int32Array.from({ length: n }, (_, i) => i);
  let remainingCount = n;
  let evaluations = 0;
  const gain = (c: number): number => {
    evaluations++;
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.max(0, minDist[i] - distances[c * n + i]);
    return total;
  };
  const random = mulberry32(config.seed);
  const sample = stochasticSampleSize(n, budget, config.epsilon, config.sampleSize);

  const picks = new Int32Array(budget);
  const gains = new Float64Array(budget);
  for (let p = 0; p < budget; p++) {
    let candidates = remainingCount;
    if (config.optimizer === 'stochastic') {
      candidates = Math.min(sample, remainingCount);
      for (let t = 0; t < candidates; t++) {
        const r = t + (random() % (remainingCount - t));
        const a = remaining[t], b = remaining[r];
        remaining[t] = b; remaining[r] = a;
        position[b] = t; position[a] = r;
      }
    }
    let best = -1, bestGain = -Infinity;
    for (let t = 0; t < candidates; t++) {
      const c = remaining[t];
      const g = gain(c);
      if (best < 0 || g > bestGain || (g === bestGain && c < best)) { best = c; bestGain = g; }
    }
    for (let i = 0; i < n; i++) {
      const d = distances[best * n + i];
      if (d < minDist[i] || nearest[i] < 0) { minDist[i] = d; nearest[i] = best; }
    }
    minDist[best] = 0;
    nearest[best] = best;
    const at = position[best], last = remaining[remainingCount - 1];
    remaining[at] = last; position[last] = at;
    remainingCount--;
    picks[p] = best;
    gains[p] = bestGain;
  }
  let cost = 0;
  for (let i = 0; i < n; i++) cost += minDist[i];
  return { picks, gains, nearest, cost, path: 'dense', evaluations };
}
