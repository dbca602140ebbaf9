// Selection in hash partitions, as steps that each need only one partition's rows or the
// small results of other steps: what the distributed driver runs as jobs (adacore/distributed)
// and selectPartitioned runs in one process, with the same code, so both give the same coreset.
// docs/distributed.md says why each step is shaped as it is.
//
// 1. plan: row i goes to partition hashPartition(i); each class's budget (classBudgets) is split
//    over the partitions holding its rows as oversampled shares (partBudgets), or exact shares
//    (proportionalBudgets) with method 'proportional'.
// 2. selectPartition: in each partition, each class's rows select their share (selectCoreset,
//    optimizer auto), each pick weighted by the size of its cluster in the partition.
// 3. mergeCandidates: per class, weighted lazy greedy on the union of the partitions' picks
//    chooses the budget: on the whole union while its dense block fits blockMemory, else on
//    spatial parts of it; with exact shares the union is the selection, ranked by gain.
// 4. assignPartition: every row of a partition gets its nearest pick of its class (one shared
//    centre per class, the picks' mean); the counts are the weights, the float64 distances the cost.
import { AdacoreError, check } from '../errors.js';
import { acquireKernels, paddedWidth, releaseKernels, type KernelExports } from '../kernels/wasm.js';
import { AUTO_PART_SIZE } from '../optimizers/auto.js';
import { assignThroughPicks } from '../optimizers/greedy-run.js';
import { OWNERS_WIDTH } from '../optimizers/proportional.js';
import { DEFAULTS } from '../options/select.js';
import { assignToPicks } from '../select/assign.js';
import { classBudgets } from '../select/budget.js';
import { interleaveByGain } from '../select/classes.js';
import { gatherPoints, packGroundSet, type PackedPoints } from '../select/ground-set.js';
import { groupByKey, positionsWhere } from '../select/group-by-key.js';
import { metricDescriptor, type Metric } from '../select/metric.js';
import { Pacer } from '../select/pacer.js';
import { partBudgets, proportionalBudgets } from '../select/parts.js';
import { flatRows } from '../select/vectors.js';
import { mergeWeighted } from './weighted-merge.js';
import { selectCoreset } from './select-coreset.js';

/** What every step is given: the options that change the picks. */
export interface PartitionOptions {
  /**
   * How each class's partitions combine: 'partitioned' merges their oversampled picks by
   * weighted lazy greedy on the whole union; 'auto' does that while the union's dense block
   * (union squared x 4 bytes) fits blockMemory, and beyond it merges on spatial parts of the
   * union; 'proportional' keeps each partition's exact share (no merge: fast, but random
   * partitions of redundant data pick the same things many times over).
   */
  method: 'auto' | 'partitioned' | 'proportional';
  metric: Metric;
  seed: number;
  oversampling: number;
  blockMemory: number;
}

/** The plan a driver makes before any selection: every budget, so a step needs no other partition. */
export interface PartitionPlan extends PartitionOptions {
  partitions: number;
  dim: number;
  /** Rows of each class (classes are the sorted label values; one class without labels). */
  classSizes: number[];
  /** The label value of each class. */
  labels: number[];
  /** Rows selected per class (classBudgets). */
  classBudgets: number[];
  /**
   * How each class merges: 'dense' (weighted lazy greedy on the whole union of the partitions'
   * oversampled picks), 'spatial' (the same on spatial parts of the union, each choosing its
   * share by weight), or 'none' (each partition kept its exact share).
   */
  merges: MergeKind[];
  /** budgets[j][c]: what partition j's rows of class c select. */
  budgets: number[][];
}

/** How a class merges its partitions' picks (PartitionPlan.merges says what each means). */
export type MergeKind = 'dense' | 'spatial' | 'none';

/** One partition's rows: ascending global row indices, each row's class (an index into plan.labels). */
export interface PartitionRows {
  rows: Float32Array;
  indices: Int32Array;
  classes: Int32Array;
}

/** A partition's picks (step 2), or the selection (step 3): rows, indices, classes, weights, gains. */
export interface Candidates extends PartitionRows {
  weights: Float64Array;
  gains: Float64Array;
  /** Marginal-gain evaluations the step's greedy runs did. */
  evaluations: number;
}

/** A partition's share of the weights (step 4): a count per pick of the selection, and the cost. */
export interface PartitionCounts {
  counts: Float64Array;
  cost: number;
}

/**
 * The partition of row `index` among `partitions`: a seeded integer hash (murmur3's finaliser
 * of the index mixed with the seed), the same in every runtime and independent of the order
 * or block size in which rows arrive.
 */
export function hashPartition(index: number, partitions: number, seed: number): number {
  let h = (Math.imul(index >>> 0, 0x9e3779b1) ^ Math.imul(seed >>> 0, 0x85ebca77) ^ Math.floor(index / 2 ** 32)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h % partitions;
}

/** Step 1: every budget, from the row counts of each class in each partition (counts[j][c]). */
export function planPartitions(
  counts: number[][], labels: number[], budget: number, dim: number, options: Partial<PartitionOptions> = {},
): PartitionPlan {
  const { method = 'auto', metric = DEFAULTS.metric, seed = DEFAULTS.seed, oversampling = DEFAULTS.oversampling, blockMemory = DEFAULTS.blockMemory } = options;
  const partitions = counts.length;
  check(Number.isInteger(partitions) && partitions >= 1, 'partitions', `expected a positive integer, got ${partitions}`);
  const classSizes = labels.map((_, c) => counts.reduce((sum, row) => sum + row[c], 0));
  const budgets = classBudgets(classSizes, budget);
  const merges: MergeKind[] = [];
  const byClass = labels.map((_, c) => {
    const sizes = counts.map((row) => row[c]);
    if (method === 'proportional') { merges[c] = 'none'; return proportionalBudgets(sizes, budgets[c]); }
    const oversampled = partBudgets(sizes, classSizes[c], budgets[c], oversampling);
    const union = oversampled.reduce((a, b) => a + b, 0);
    // the merge round's dense block is the union squared
    merges[c] = method === 'partitioned' || union * union * 4 <= blockMemory ? 'dense' : 'spatial';
    return oversampled;
  });
  return {
    method, metric, seed, oversampling, blockMemory, partitions, dim, classSizes, labels, classBudgets: budgets, merges,
    budgets: counts.map((_, j) => labels.map((__, c) => byClass[c][j])),
  };
}

function gatherRows(rows: Float32Array, dim: number, positions: ArrayLike<number>): Float32Array {
  const out = new Float32Array(positions.length * dim);
  for (let t = 0; t < positions.length; t++) out.set(rows.subarray(positions[t] * dim, (positions[t] + 1) * dim), t * dim);
  return out;
}

/** Step 2: partition j's picks for each class, with their cluster sizes in the partition. */
export async function selectPartition(plan: PartitionPlan, j: number, part: PartitionRows, signal?: AbortSignal): Promise<Candidates> {
  checkPartition(plan, j, part);
  const { dim } = plan;
  const out = { indices: [] as number[], classes: [] as number[], weights: [] as number[], gains: [] as number[], positions: [] as number[] };
  let evaluations = 0;
  for (let c = 0; c < plan.labels.length; c++) {
    const share = plan.budgets[j][c];
    if (share === 0) continue;
    const members = positionsWhere(part.classes, c);
    check(members.length >= share, 'partition', `partition ${j} holds ${members.length} rows of class ${plan.labels[c]} but its plan selects ${share}`);
    const keep = (t: number, weight: number, gain: number) => {
      out.positions.push(members[t]); out.indices.push(part.indices[members[t]]); out.classes.push(c); out.weights.push(weight); out.gains.push(gain);
    };
    if (share === members.length) { for (let t = 0; t < members.length; t++) keep(t, 1, 0); continue; } // every row: nothing to choose
    const coreset = await selectCoreset(gatherRows(part.rows, dim, members), {
      dim, budget: share, metric: plan.metric, blockMemory: plan.blockMemory, oversampling: plan.oversampling,
      seed: (plan.seed + Math.imul(j * plan.labels.length + c + 1, 0x9e3779b9)) >>> 0, signal,
    });
    coreset.indices.forEach((t, r) => keep(t, coreset.weights[r], coreset.gains[r]));
    evaluations += coreset.evaluations;
  }
  return {
    rows: gatherRows(part.rows, dim, out.positions), indices: Int32Array.from(out.indices), classes: Int32Array.from(out.classes),
    weights: Float64Array.from(out.weights), gains: Float64Array.from(out.gains), evaluations,
  };
}

/**
 * Step 3: the selection from every partition's picks (in partition order): per class a
 * weighted lazy greedy on their union, or (exact shares) the union ranked by gain. The
 * result lists the classes' picks merged by gain, highest first; weights are left 0 (step 4).
 */
export async function mergeCandidates(plan: PartitionPlan, candidates: Candidates[], signal?: AbortSignal): Promise<Candidates> {
  check(candidates.length === plan.partitions, 'candidates', `expected ${plan.partitions} partitions' picks, got ${candidates.length}`);
  const { dim } = plan;
  const perClass = plan.labels.map(() => ({ rows: [] as Float32Array[], indices: [] as number[], weights: [] as number[], gains: [] as number[] }));
  for (const part of candidates) {
    for (let t = 0; t < part.indices.length; t++) {
      const k = perClass[part.classes[t]];
      k.rows.push(part.rows.subarray(t * dim, (t + 1) * dim)); k.indices.push(part.indices[t]); k.weights.push(part.weights[t]); k.gains.push(part.gains[t]);
    }
  }
  const kernels = await acquireKernels();
  try {
    const pacer = new Pacer(signal, undefined);
    const chosen = [];
    let evaluations = candidates.reduce((sum, part) => sum + part.evaluations, 0);
    for (let c = 0; c < perClass.length; c++) {
      const k = perClass[c], budget = plan.classBudgets[c];
      // canonical order: by row index, whatever order the partitions listed their picks in
      const union = Array.from(k.indices.keys()).sort((a, b) => k.indices[a] - k.indices[b]);
      check(union.length >= budget, 'candidates', `class ${plan.labels[c]}: the partitions picked ${union.length} rows for a budget of ${budget}`);
      const merged = await mergeClass(kernels, plan, c, union.map((u) => ({ row: k.indices[u], values: k.rows[u], weight: k.weights[u], gain: k.gains[u] })), pacer);
      evaluations += merged.evaluations;
      const order = merged.order.map((t) => union[t]), gains = merged.gains;
      chosen.push({ order, gains, k });
    }
    // the classes' picks merged by gain, each class in its own order
    const { list, at } = interleaveByGain(chosen.map((c) => c.gains));
    const total = list.length;
    const result = { rows: new Float32Array(total * dim), indices: new Int32Array(total), classes: new Int32Array(total), weights: new Float64Array(total), gains: new Float64Array(total), evaluations };
    for (let out = 0; out < total; out++) {
      const { order, gains, k } = chosen[list[out]];
      const u = order[at[out]];
      result.rows.set(k.rows[u], out * dim);
      result.indices[out] = k.indices[u]; result.classes[out] = list[out]; result.gains[out] = gains[at[out]];
    }
    return result;
  } finally {
    releaseKernels(kernels);
  }
}

interface UnionRow { row: number; values: Float32Array; weight: number; gain: number }

/**
 * Class c's budget chosen from the union of its partitions' picks (ascending row index):
 * positions in `union`, highest gain first, with their gains. See MergeKind.
 */
async function mergeClass(kernels: KernelExports, plan: PartitionPlan, c: number, union: UnionRow[], pacer: Pacer): Promise<{ order: number[]; gains: number[]; evaluations: number }> {
  const budget = plan.classBudgets[c], kind = plan.merges[c];
  if (kind === 'none' || union.length <= budget) {
    // highest gain first, the lower row on ties
    const order = Array.from(union.keys()).sort((a, b) => union[b].gain - union[a].gain || union[a].row - union[b].row).slice(0, budget);
    return { order, gains: order.map((t) => union[t].gain), evaluations: 0 };
  }
  const { dim } = plan;
  const rows = new Float32Array(union.length * dim);
  union.forEach((u, t) => rows.set(u.values, t * dim));
  const points = packGroundSet(flatRows(rows, union.length, dim, (t) => union[t].row), Int32Array.from(union.keys()), plan.metric, paddedWidth(dim));
  const config = { metric: plan.metric, seed: plan.seed, epsilon: DEFAULTS.epsilon, sampleSize: undefined, blockMemory: plan.blockMemory, partitionSize: AUTO_PART_SIZE, oversampling: plan.oversampling };
  const frame = () => ({ phase: 'greedy' as const, done: 0, total: budget, selected: 0, budget, classIndex: c, classCount: plan.labels.length });
  return mergeWeighted(kernels, { points, weights: union.map((u) => u.weight), rowOf: (t) => union[t].row }, budget, kind, config, pacer, frame, (plan.seed + c) >>> 0);
}

/** Each class's picks packed around one centre (their mean), which its rows share in step 4. */
function packedPicks(plan: PartitionPlan, selection: Candidates) {
  const { dim } = plan;
  const width = paddedWidth(dim);
  return plan.labels.map((_, c) => {
    const positions = positionsWhere(selection.classes, c);
    const rows = gatherRows(selection.rows, dim, positions);
    const centre = new Float64Array(dim);
    for (let q = 0; q < rows.length; q++) centre[q % dim] += rows[q] / positions.length;
    const packed = packGroundSet(flatRows(rows, positions.length, dim), Int32Array.from(positions.keys()), plan.metric, width, centre);
    return { positions, rows, centre, packed };
  });
}

/** Step 4: partition j's rows counted to their nearest pick of their class; the cost in float64. */
export async function assignPartition(plan: PartitionPlan, j: number, part: PartitionRows, selection: Candidates): Promise<PartitionCounts> {
  checkPartition(plan, j, part);
  const { dim } = plan;
  const width = paddedWidth(dim);
  const exact = metricDescriptor(plan.metric).exact;
  const picks = packedPicks(plan, selection);
  const counts = new Float64Array(selection.indices.length);
  let cost = 0;
  const kernels = await acquireKernels();
  try {
    const rows = flatRows(part.rows, part.indices.length, dim, (t) => part.indices[t]);
    const inPartition = new Set(part.indices);
    for (let c = 0; c < plan.labels.length; c++) {
      const members = positionsWhere(part.classes, c);
      if (members.length === 0) continue;
      // the class's picks that are rows of this partition: cheap first owners
      const local = Int32Array.from(picks[c].positions.keys()).filter((q) => inPartition.has(selection.indices[picks[c].positions[q]]));
      const pick = nearestPicks(kernels, packGroundSet(rows, members, plan.metric, width, picks[c].centre), picks[c].packed, local, plan.metric);
      // every pick owns itself, at distance 0, as in the greedy: by distance alone a pick that
      // duplicates an earlier one (or a zero row under cosine, at distance 1 from every row) went
      // to the earlier pick, which left it a weight of 0
      const ownPick = new Map(Array.from(local, (q) => [selection.indices[picks[c].positions[q]], q]));
      for (let t = 0; t < pick.length; t++) {
        const own = ownPick.get(part.indices[members[t]]);
        counts[picks[c].positions[own ?? pick[t]]]++;
        if (own !== undefined) continue;
        const at = members[t] * dim, p = pick[t] * dim;
        cost += exact(part.rows.subarray(at, at + dim), picks[c].rows.subarray(p, p + dim));
      }
    }
  } finally {
    releaseKernels(kernels);
  }
  return { counts, cost };
}

/**
 * Each point's nearest row of `chosen` (the earlier one on ties). Where the metric allows it and
 * rows are narrow, through owners: each point's nearest of the `local` picks (a fraction of
 * them) bounds its distance, and the triangle inequality leaves only the picks within twice
 * that of the owner to measure (as the proportional optimizer assigns); else all of `chosen`.
 */
function nearestPicks(kernels: KernelExports, points: PackedPoints, chosen: PackedPoints, local: Int32Array, metric: Metric): Int32Array {
  if (local.length === 0 || local.length === chosen.count || !metricDescriptor(metric).assignsThroughOwners || points.width > OWNERS_WIDTH) {
    return assignToPicks(kernels, points, chosen, metric).pick;
  }
  const first = assignToPicks(kernels, points, gatherPoints(chosen, local), metric);
  const owners = Int32Array.from(first.pick, (q) => local[q]);
  // grouped by owner: the kernel finds one owner's near picks once for its run of points
  const order = groupByKey(Int32Array.from(owners.keys()), owners, chosen.count).order;
  const { pick } = assignThroughPicks(kernels, chosen, {
    points: gatherPoints(points, order), owners: Int32Array.from(order, (t) => owners[t]), radii: Float32Array.from(order, (t) => first.distance[t]),
  }, metric);
  const out = new Int32Array(points.count);
  order.forEach((t, r) => { out[t] = pick[r]; });
  return out;
}

function checkPartition(plan: PartitionPlan, j: number, part: PartitionRows): void {
  check(Number.isInteger(j) && j >= 0 && j < plan.partitions, 'partition', `expected a partition in [0, ${plan.partitions}), got ${j}`);
  const n = part.indices.length;
  if (part.rows.length !== n * plan.dim || part.classes.length !== n) {
    throw new AdacoreError('partition', `partition ${j}: ${part.rows.length} values, ${n} indices and ${part.classes.length} classes do not make rows of dim ${plan.dim}`);
  }
}
