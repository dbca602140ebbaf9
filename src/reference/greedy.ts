// A plain TypeScript facility-location greedy in float64 with exact distances: the oracle
// the kernels are tested against. It follows the kernels' rules exactly (ties to the lowest
// index, strict improvement for reassignment, the same sampler for stochastic greedy) but
// shares none of their arithmetic. Lazy greedy is by definition naive greedy's picks, so
// both run the naive loop here. O(n^2 d) time and n^2 float64 memory per ground set.
import { autoOptimizer } from '../optimizers/auto.js';
import type { GroundSetExtras } from '../optimizers/greedy-run.js';
import { stochasticSampleSize } from '../optimizers/stochastic.js';
import { resolveBudget, resolveOptions, type ResolvedOptions, type SelectOptions } from '../options/select.js';
import { groundSets, mergeGroundSets, type Ground } from '../select/classes.js';
import { paddedWidth } from '../kernels/wasm.js';
import { emptyDistance, packGroundSet } from '../select/ground-set.js';
import { metricDescriptor, type Metric } from '../select/metric.js';
import { partBudgets, proportionalBudgets, randomParts, spatialParts } from '../select/parts.js';
import { classSeed, mulberry32 } from '../select/random.js';
import type { GroundSetSelection } from '../select/selection.js';
import { toRows, type Rows, type VectorsInput } from '../select/vectors.js';

export function referenceSelectCoreset(vectors: VectorsInput, options: SelectOptions = {}) {
  const config = resolveOptions(options);
  const rows = toRows(vectors, options.dim);
  const budget = resolveBudget(options, rows.count);
  const grounds = groundSets(rows, options.labels, budget);
  const chosen = grounds.map((ground: Ground) => (config.optimizer === 'auto'
    ? autoOptimizer(ground.members.length, ground.budget, config)
    : { optimizer: config.optimizer, partitionSize: config.partitionSize }));
  const results = grounds.map((ground: Ground, c) => (
    { ground, selection: referenceGroundSet(rows, ground.members, ground.budget, { ...config, ...chosen[c], seed: classSeed(config.seed, c) }) }
  ));
  // the optimizer that ran, as selectCoreset reports it: 'auto' resolved, the largest class's
  // (the first among equals); this reported 'auto' itself, unlike the selection it is checked against
  let largest = 0;
  for (let c = 1; c < grounds.length; c++) if (grounds[c].members.length > grounds[largest].members.length) largest = c;
  return { ...mergeGroundSets(results), budget, metric: config.metric, optimizer: chosen[largest].optimizer };
}

/** Exact distance between two rows in float64. */
export function exactDistance(a: ArrayLike<number>, b: ArrayLike<number>, metric: Metric): number {
  return metricDescriptor(metric).exact(a, b);
}

export { mulberry32 };

/** A merge round's C is that of the whole ground set, not of the union's members. */
type ReferenceExtras = GroundSetExtras & { emptyDistance?: number };

function referenceGroundSet(
  rows: Rows, members: Int32Array, budget: number, config: ResolvedOptions, extras: ReferenceExtras = {},
): GroundSetSelection {
  if ((config.optimizer === 'partitioned' || config.optimizer === 'spatial') && extras.weights === undefined) return referencePartitioned(rows, members, budget, config);
  if (config.optimizer === 'proportional') return referenceProportional(rows, members, budget, config);
  const n = members.length;
  const weight = extras.weights ?? new Float32Array(n).fill(1);
  const distances = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const d = exactDistance(rows.row(members[a]), rows.row(members[b]), config.metric);
      distances[a * n + b] = d;
      distances[b * n + a] = d;
    }
  }
  const minDist = new Float64Array(n).fill(extras.emptyDistance ?? emptyDistance(rows, members, config.metric));
  const nearest = new Int32Array(n).fill(-1);
  const remaining = Int32Array.from({ length: n }, (_, i) => i);
  const position = Int32Array.from({ length: n }, (_, i) => i);
  let remainingCount = n;
  let evaluations = 0;
  const gain = (c: number): number => {
    evaluations++;
    let total = 0;
    for (let i = 0; i < n; i++) total += weight[i] * Math.max(0, minDist[i] - distances[c * n + i]);
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
  return { picks, gains, nearest, distances: Float32Array.from(minDist), cost, path: 'dense', evaluations };
}

/** The partitioned optimizer's two rounds (src/optimizers/partitioned.ts) on the naive loop above. */
function referencePartitioned(rows: Rows, members: Int32Array, budget: number, config: ResolvedOptions): GroundSetSelection {
  const n = members.length;
  const single: ResolvedOptions = { ...config, optimizer: 'naive' };
  const partCount = Math.ceil(n / config.partitionSize);
  const parts = partCount <= 1 ? [] : config.optimizer === 'spatial' ? spatialPartsOf(rows, members, partCount, config) : randomParts(n, partCount, config.seed);
  const budgets = partBudgets(parts.map((p) => p.length), n, budget, config.oversampling);
  if (partCount <= 1 || budgets.reduce((a, b) => a + b, 0) >= n) return referenceGroundSet(rows, members, budget, single);
  const C = emptyDistance(rows, members, config.metric);
  const clusterSize = new Float32Array(n);
  const picked = new Uint8Array(n);
  let evaluations = 0;
  parts.forEach((part, j) => {
    const one = referenceGroundSet(rows, Int32Array.from(part, (t) => members[t]), budgets[j], single, { emptyDistance: C });
    for (const owner of one.nearest) clusterSize[part[owner]]++;
    for (const p of one.picks) picked[part[p]] = 1;
    evaluations += one.evaluations;
  });
  const union = Int32Array.from({ length: n }, (_, t) => t).filter((t) => picked[t] === 1);
  const merge = referenceGroundSet(rows, Int32Array.from(union, (t) => members[t]), budget, single, {
    emptyDistance: C, weights: Float32Array.from(union, (t) => clusterSize[t]),
  });
  const picks = Int32Array.from(merge.picks, (u) => union[u]);
  return { picks, ...nearestOfAll(rows, members, picks, config), gains: merge.gains, path: 'dense', evaluations: evaluations + merge.evaluations };
}

/** The proportional optimizer in float64: each part's exact share by greedy, the union ranked by part gain. */
function referenceProportional(rows: Rows, members: Int32Array, budget: number, config: ResolvedOptions): GroundSetSelection {
  const n = members.length;
  const single: ResolvedOptions = { ...config, optimizer: 'naive' };
  const partCount = Math.min(Math.ceil(n / config.partitionSize), budget);
  if (partCount <= 1) return referenceGroundSet(rows, members, budget, single);
  const parts = spatialPartsOf(rows, members, partCount, config);
  const budgets = proportionalBudgets(parts.map((p) => p.length), budget);
  const C = emptyDistance(rows, members, config.metric);
  const chosen: { pick: number; gain: number }[] = [];
  let evaluations = 0;
  parts.forEach((part, j) => {
    const one = referenceGroundSet(rows, Int32Array.from(part, (t) => members[t]), budgets[j], single, { emptyDistance: C });
    one.picks.forEach((p, r) => chosen.push({ pick: part[p], gain: one.gains[r] }));
    evaluations += one.evaluations;
  });
  const order = Array.from(chosen.keys()).sort((a, b) => chosen[b].gain - chosen[a].gain || a - b);
  const picks = Int32Array.from(order, (o) => chosen[o].pick);
  return { picks, ...nearestOfAll(rows, members, picks, config), gains: Float64Array.from(order, (o) => chosen[o].gain), path: 'dense', evaluations };
}

/** The kernels' spatial parts: the same tree on the same packed (centred float32) rows. */
function spatialPartsOf(rows: Rows, members: Int32Array, partCount: number, config: ResolvedOptions): Int32Array[] {
  const points = packGroundSet(rows, members, config.metric, paddedWidth(rows.dim));
  return spatialParts(points.data, points.width, points.count, Math.ceil(points.count / partCount), config.seed);
}

/** Every member's nearest pick (the earlier pick on ties; each pick its own), the distances and their sum. */
function nearestOfAll(rows: Rows, members: Int32Array, picks: Int32Array, config: ResolvedOptions): { nearest: Int32Array; distances: Float32Array; cost: number } {
  const n = members.length;
  const nearest = new Int32Array(n);
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0, bestDistance = Infinity;
    picks.forEach((p, j) => {
      const d = exactDistance(rows.row(members[i]), rows.row(members[p]), config.metric);
      if (d < bestDistance) { bestDistance = d; best = j; }
    });
    nearest[i] = picks[best];
    distances[i] = bestDistance;
  }
  for (const p of picks) { distances[p] = 0; nearest[p] = p; }
  const cost = distances.reduce((sum, d) => sum + d, 0);
  return { nearest, distances: Float32Array.from(distances), cost };
}
