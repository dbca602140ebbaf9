// The partitioned, two-round optimizer (GreeDi: Mirzasoleiman et al. 2013; RandGreeDi's
// random partition: Barbosa et al. 2015) on one ground set. A dense n x n block costs
// n^2 floats of memory traffic, which at low dimension is most of a selection's time; parts
// of ~512 points keep every block in cache.
//
// Round 1: a seeded random partition into parts of about partitionSize points; lazy greedy
// in each part picks `oversampling` times the part's share of the budget, all with the
// ground set's C, and each pick carries the size of the cluster it won in its part.
// Round 2: weighted lazy greedy on the union of the round-1 picks (gain of c =
// sum_u w_u max(0, minDist_u - d(u, c))) picks the budget. Then every point of the ground
// set is assigned to its nearest pick, which gives the weights and the cost exactly.
import type { KernelExports } from '../kernels/wasm.js';
import { assignToPicks } from './assign.js';
import { mulberry32 } from './random.js';
import { selectGroundSet, type GroundSetConfig, type GroundSetSelection, type ProgressFrame } from './facility-location.js';
import { emptyDistance } from './ground-set.js';
import type { Pacer } from './pacer.js';
import type { Rows } from './vectors.js';

/** Positions 0..n-1 split into `parts` random parts of near-equal size, each in ascending order. */
export function randomParts(n: number, parts: number, seed: number): Int32Array[] {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  for (let t = n - 1; t > 0; t--) {
    const r = random() % (t + 1);
    const swap = order[t]; order[t] = order[r]; order[r] = swap;
  }
  return Array.from({ length: parts }, (_, j) => order.slice(Math.floor((j * n) / parts), Math.floor(((j + 1) * n) / parts)).sort());
}

/** First-round picks of each part: oversampling times its share of the budget, at most its size. */
export function partBudgets(sizes: number[], n: number, budget: number, oversampling: number): number[] {
  return sizes.map((size) => Math.min(size, Math.ceil((oversampling * budget * size) / n)));
}

export async function selectPartitioned(
  kernels: KernelExports, rows: Rows, members: Int32Array, budget: number,
  config: GroundSetConfig, pacer: Pacer, frame: ProgressFrame,
): Promise<GroundSetSelection> {
  const n = members.length;
  const lazy: GroundSetConfig = { ...config, optimizer: 'lazy' };
  const partCount = Math.ceil(n / config.partitionSize);
  const parts = partCount > 1 ? randomParts(n, partCount, config.seed) : [];
  const budgets = partBudgets(parts.map((p) => p.length), n, budget, config.oversampling);
  // one part, or a union as large as the ground set: the plain greedy is no slower
  if (partCount <= 1 || budgets.reduce((a, b) => a + b, 0) >= n) return selectGroundSet(kernels, rows, members, budget, lazy, pacer, frame);

  const C = emptyDistance(rows, members, config.metric);
  const clusterSize = new Float32Array(n); // round-1 cluster size of each pick, by position in members
  const picked = new Uint8Array(n);
  let evaluations = 0;
  let anyTiled = false;
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j];
    const roundOne = await selectGroundSet(
      kernels, rows, gather(members, part), budgets[j], lazy, pacer, () => frame('partitions', j, parts.length, 0), { emptyDistance: C },
    );
    for (const owner of roundOne.nearest) clusterSize[part[owner]]++;
    for (const p of roundOne.picks) picked[part[p]] = 1;
    evaluations += roundOne.evaluations;
    anyTiled ||= roundOne.path === 'tiled';
  }

  const union = new Int32Array(picked.reduce((sum, p) => sum + p, 0));
  for (let t = 0, u = 0; t < n; t++) if (picked[t] === 1) union[u++] = t;
  const weights = new Float32Array(union.length);
  for (let u = 0; u < union.length; u++) weights[u] = clusterSize[union[u]];
  const merge = await selectGroundSet(
    kernels, rows, gather(members, union), budget, lazy, pacer, frame, { emptyDistance: C, weights },
  );
  const picks = gather(union, merge.picks);
  const { nearest, cost } = assignToNearest(kernels, rows, members, picks, config.metric);
  return {
    picks, gains: merge.gains, nearest, cost,
    path: anyTiled || merge.path === 'tiled' ? 'tiled' : 'dense',
    evaluations: evaluations + merge.evaluations,
  };
}

/** values[positions[t]] for each t. */
function gather(values: Int32Array, positions: Int32Array): Int32Array {
  const out = new Int32Array(positions.length);
  for (let t = 0; t < positions.length; t++) out[t] = values[positions[t]];
  return out;
}

/**
 * Each member's nearest pick (as a position in members; the earlier pick on ties, and every
 * pick owns itself, as in the greedy) and the sum of the distances to them.
 */
function assignToNearest(
  kernels: KernelExports, rows: Rows, members: Int32Array, picks: Int32Array, metric: GroundSetConfig['metric'],
): { nearest: Int32Array; cost: number } {
  const { pick, distance } = assignToPicks(kernels, rows, members, picks, metric);
  const nearest = new Int32Array(members.length);
  let cost = 0;
  for (let i = 0; i < members.length; i++) { nearest[i] = picks[pick[i]]; cost += distance[i]; }
  for (const p of picks) { cost -= distance[p]; nearest[p] = p; }
  return { nearest, cost };
}
