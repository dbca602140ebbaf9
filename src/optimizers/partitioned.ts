// The partitioned, two-round optimizer (GreeDi: Mirzasoleiman et al. 2013; RandGreeDi's
// random partition: Barbosa et al. 2015) on one ground set. A dense n x n block costs
// n^2 floats of memory traffic, which at low dimension is most of a selection's time; parts
// of ~512 points keep every block in cache.
//
// Round 1: a seeded random partition into parts of about partitionSize points; lazy greedy
// in each part picks `oversampling` times the part's share of the budget (more for small
// budgets: see UNION_FLOOR in src/select/parts.ts), all with the ground set's C, and each pick carries the size of
// the cluster it won in its part.
// Round 2: weighted lazy greedy on the union of the round-1 picks (gain of c =
// sum_u w_u max(0, minDist_u - d(u, c))) picks the budget. Every point of the ground set gets
// its exact nearest pick, which gives the weights and the cost exactly: the union's from the
// merge round, the others in it too, through their round-1 owner (assignThroughOwners).
import type { KernelExports } from '../kernels/wasm.js';
import { assignToPicks } from '../select/assign.js';
import { gatherPoints, type PackedPoints } from '../select/ground-set.js';
import { groupByKey, positionsWhere } from '../select/group-by-key.js';
import type { Pacer } from '../select/pacer.js';
import { partBudgets, randomParts, spatialParts } from '../select/parts.js';
import type { ProgressFrame } from '../select/progress.js';
import type { GroundSetSelection } from '../select/selection.js';
import { runGreedy, type GroundSetExtras, type OutsideAssignment } from './greedy-run.js';
import { lazyPicks } from './lazy.js';
import { runParts } from './parts.js';
import type { GroundSetConfig, GroundSetOptimizer, InnerParallel } from './types.js';

/** How the first round splits the ground set into `partCount` parts. */
type Partition = (points: PackedPoints, partCount: number, seed: number) => Int32Array[];

/** Members are the rows of `points` (packed once for the ground set: every round shares its C). */
async function selectPartitioned(
  kernels: KernelExports, points: PackedPoints, budget: number,
  config: GroundSetConfig, pacer: Pacer, frame: ProgressFrame, partition: Partition, parallel: InnerParallel | undefined,
): Promise<GroundSetSelection> {
  const n = points.count;
  const partCount = Math.ceil(n / config.partitionSize);
  const parts = partCount > 1 ? partition(points, partCount, config.seed) : [];
  const budgets = partBudgets(parts.map((p) => p.length), n, budget, config.oversampling);
  // one part, or a union as large as the ground set: the plain greedy is no slower
  if (partCount <= 1 || budgets.reduce((a, b) => a + b, 0) >= n) return runGreedy(kernels, points, budget, config, pacer, frame, lazyPicks);

  const clusterSize = new Float32Array(n); // round-1 cluster size of each pick, by position in members
  const picked = new Uint8Array(n);
  const owner = new Int32Array(n); // each member's nearest round-1 pick, and the distance to it
  const ownerDistance = new Float32Array(n);
  let evaluations = 0;
  let anyTiled = false;
  const roundOnes = await runParts(kernels, points, parts, budgets, config, pacer, frame, parallel);
  for (let j = 0; j < parts.length; j++) {
    const part = parts[j];
    const roundOne = roundOnes[j];
    const { nearest: owners, distances, picks: partPicks } = roundOne;
    for (let t = 0; t < owners.length; t++) {
      owner[part[t]] = part[owners[t]];
      ownerDistance[part[t]] = distances[t];
      clusterSize[part[owners[t]]]++;
    }
    for (let p = 0; p < partPicks.length; p++) picked[part[partPicks[p]]] = 1;
    evaluations += roundOne.evaluations;
    anyTiled ||= roundOne.path === 'tiled';
  }

  const union = positionsWhere(picked, 1);
  const weights = new Float32Array(union.length);
  for (let u = 0; u < union.length; u++) weights[u] = clusterSize[union[u]];
  const { rest, outside } = outsideMembers(points, picked, union, owner, ownerDistance);
  const merge = await runGreedy(kernels, gatherPoints(points, union), budget, config, pacer, frame, lazyPicks, { weights, outside });
  const picks = gather(union, merge.picks);
  const { nearest, distances, cost } = assignToNearest(kernels, points, union, rest, merge, picks, config.metric);
  return {
    picks, gains: merge.gains, nearest, distances, cost,
    path: anyTiled || merge.path === 'tiled' ? 'tiled' : 'dense',
    evaluations: evaluations + merge.evaluations,
  };
}

export const partitioned: GroundSetOptimizer = {
  select: (kernels, points, budget, config, pacer, frame, parallel) => selectPartitioned(kernels, points, budget, config, pacer, frame, (p, count, seed) => randomParts(p.count, count, seed), parallel),
};

/**
 * The same two rounds on parts of nearby points (a random-projection tree, spatialParts): each
 * part's picks then cover a region rather than a thin sample of everything, which brings the
 * merged cost closer to exact greedy's (docs/scale.md, section 2).
 */
export const spatial: GroundSetOptimizer = {
  select: (kernels, points, budget, config, pacer, frame, parallel) => selectPartitioned(kernels, points, budget, config, pacer, frame, (p, count, seed) => spatialParts(p.data, p.width, p.count, Math.ceil(p.count / count), seed), parallel),
};

/**
 * The members outside the union (`rest`, sorted by owner) and what the merge round needs to
 * assign them: their rows, their owners as positions in the union, and the distances to them.
 */
function outsideMembers(
  points: PackedPoints, picked: Uint8Array, union: Int32Array, owner: Int32Array, ownerDistance: Float32Array,
): { rest: Int32Array; outside: NonNullable<GroundSetExtras['outside']> } {
  const n = points.count;
  const unionPosition = new Int32Array(n);
  for (let u = 0; u < union.length; u++) unionPosition[union[u]] = u;
  const ownerInUnion = new Int32Array(n);
  for (let t = 0; t < n; t++) ownerInUnion[t] = unionPosition[owner[t]];
  const rest = groupByKey(positionsWhere(picked, 0), ownerInUnion, union.length).order;
  const radii = new Float32Array(rest.length);
  for (let r = 0; r < rest.length; r++) radii[r] = ownerDistance[rest[r]];
  return { rest, outside: { points: gatherPoints(points, rest), owners: gather(ownerInUnion, rest), radii } };
}

/**
 * Each member's nearest pick (as a position in members; the earlier pick on ties, and every
 * pick owns itself, as in the greedy), its distance and their sum. The merge round knows it
 * for the union's members, and for the rest when it could assign them through their owners;
 * else (a metric without assignsThroughOwners: cosine) the rest are assigned with assignToPicks.
 */
function assignToNearest(
  kernels: KernelExports, points: PackedPoints, union: Int32Array, rest: Int32Array,
  merge: GroundSetSelection & { outside?: OutsideAssignment }, picks: Int32Array, metric: GroundSetConfig['metric'],
): { nearest: Int32Array; distances: Float32Array; cost: number } {
  const n = points.count;
  const nearest = new Int32Array(n);
  const distances = new Float32Array(n);
  // after its first pick the greedy has given every point an owner
  for (let u = 0; u < union.length; u++) {
    nearest[union[u]] = union[merge.nearest[u]];
    distances[union[u]] = merge.distances[u];
  }
  const { pick, distance } = merge.outside ?? assignToPicks(kernels, gatherPoints(points, rest), gatherPoints(points, picks), metric);
  for (let r = 0; r < rest.length; r++) { nearest[rest[r]] = picks[pick[r]]; distances[rest[r]] = distance[r]; }
  for (let j = 0; j < picks.length; j++) { nearest[picks[j]] = picks[j]; distances[picks[j]] = 0; }
  let cost = 0;
  for (let i = 0; i < n; i++) cost += distances[i];
  return { nearest, distances, cost };
}

/** values[positions[t]] for each t. */
function gather(values: Int32Array, positions: Int32Array): Int32Array {
  const out = new Int32Array(positions.length);
  for (let t = 0; t < positions.length; t++) out[t] = values[positions[t]];
  return out;
}
