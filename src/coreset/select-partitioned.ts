// selectPartitioned: selection in hash partitions (partition-steps.ts) in one process: the
// same steps, on the same rows, as the distributed driver runs them as jobs on many machines
// (adacore/distributed), so it gives the coreset they give. Also the way to test a partition
// count before spending a cluster on it.
import { AdacoreError, check } from '../errors.js';
import { resolveBudget, resolveOptions } from '../options/select.js';
import { groupByKey } from '../select/group-by-key.js';
import { now } from '../select/pacer.js';
import { toClasses, toRows, type VectorsInput } from '../select/vectors.js';
import {
  assignPartition, hashPartition, mergeCandidates, planPartitions, selectPartition,
  type Candidates, type PartitionCounts, type PartitionOptions, type PartitionPlan, type PartitionRows,
} from './partition-steps.js';
import type { Coreset } from './types.js';

export interface PartitionedOptions extends Partial<PartitionOptions> {
  /** How many hash partitions the rows are split into (the distributed run's jobs per step). */
  partitions: number;
  dim?: number;
  labels?: ArrayLike<number>;
  budget?: number;
  fraction?: number;
  signal?: AbortSignal;
}

/** The rows as float32 (what a partition file holds), the class of each row and the classes' label values. */
export function partitionInput(vectors: VectorsInput, options: { dim?: number; labels?: ArrayLike<number> }): { rows: Float32Array; dim: number; classes: Int32Array; labels: number[] } {
  const view = toRows(vectors, options.dim);
  const n = view.count, dim = view.dim;
  let rows: Float32Array;
  if (view.data instanceof Float32Array && view.data.length === n * dim) rows = view.data;
  else { rows = new Float32Array(n * dim); for (let i = 0; i < n; i++) rows.set(view.row(i), i * dim); }
  for (let k = 0; k < rows.length; k++) {
    if (!Number.isFinite(rows[k])) throw new AdacoreError('vectors', `row ${Math.floor(k / dim)}, column ${k % dim} is ${rows[k]} as float32; every value must be a finite number`);
  }
  const { classes, labels } = classesOf(options.labels, n);
  return { rows, dim, classes, labels };
}

/** Each row's class index (labels sorted by value) and the label of each class. */
export function classesOf(given: ArrayLike<number> | undefined, n: number): { classes: Int32Array; labels: number[] } {
  if (given === undefined) return { classes: new Int32Array(n), labels: [0] };
  const { classOf, values } = toClasses(given, n);
  return { classes: classOf, labels: values };
}

/** The plan's options from a caller's, resolved and checked as selectCoreset checks them. */
export function partitionOptions(options: Partial<PartitionOptions>): PartitionOptions {
  const { metric, seed, oversampling, blockMemory } = resolveOptions({ metric: options.metric, seed: options.seed, oversampling: options.oversampling, blockMemory: options.blockMemory });
  const method = options.method ?? 'auto';
  check(['auto', 'partitioned', 'proportional'].includes(method), 'method', `expected auto, partitioned or proportional, got ${String(method)}`);
  return { method, metric, seed, oversampling, blockMemory };
}

export function checkPartitions(partitions: unknown): number {
  check(typeof partitions === 'number' && Number.isInteger(partitions) && partitions >= 1 && partitions <= 65536, 'partitions', `expected an integer in [1, 65536], got ${String(partitions)}`);
  return partitions;
}

/** Row counts per partition and class: counts[j][c]. */
export function countPartitions(classes: Int32Array, classCount: number, partitions: number, seed: number): { partOf: Int32Array; counts: number[][] } {
  const partOf = new Int32Array(classes.length);
  const counts = Array.from({ length: partitions }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < classes.length; i++) { partOf[i] = hashPartition(i, partitions, seed); counts[partOf[i]][classes[i]]++; }
  return { partOf, counts };
}

/** Each partition's row indices, ascending (one counting sort over partOf). */
export function partitionMembers(partOf: Int32Array, partitions: number): Int32Array[] {
  const { order, start } = groupByKey(Int32Array.from(partOf.keys()), partOf, partitions);
  return Array.from({ length: partitions }, (_, j) => order.subarray(start[j], start[j + 1]));
}

/** The rows at `members` (a partition's row indices) out of the whole input. */
export function gatherPartition(rows: Float32Array, dim: number, classes: Int32Array, members: Int32Array): PartitionRows {
  const part = { rows: new Float32Array(members.length * dim), indices: members.slice(), classes: new Int32Array(members.length) };
  for (let t = 0; t < members.length; t++) {
    const i = members[t];
    part.rows.set(rows.subarray(i * dim, (i + 1) * dim), t * dim);
    part.classes[t] = classes[i];
  }
  return part;
}

/** The coreset from the selection (step 3) and every partition's counts (step 4), summed in partition order. */
export function finishPartitioned(plan: PartitionPlan, selection: Candidates, counts: PartitionCounts[], seconds: number): Coreset {
  const weights = new Float64Array(selection.indices.length);
  let cost = 0;
  for (const part of counts) {
    check(part.counts.length === weights.length, 'counts', `a partition counted ${part.counts.length} picks; the selection has ${weights.length}`);
    for (let r = 0; r < weights.length; r++) weights[r] += part.counts[r];
    cost += part.cost;
  }
  const n = plan.classSizes.reduce((a, b) => a + b, 0);
  const total = weights.reduce((a, b) => a + b, 0);
  if (total !== n) throw new AdacoreError('counts', `the partitions counted ${total} rows to the picks; the input has ${n}`);
  return {
    indices: selection.indices.slice(), weights: Float32Array.from(weights), gains: selection.gains.slice(), cost,
    path: 'partitions', seconds, budget: selection.indices.length, metric: plan.metric,
    optimizer: plan.merges.includes('none') ? 'proportional' : plan.merges.includes('spatial') ? 'spatial' : 'partitioned', plannedBytes: 0, evaluations: selection.evaluations, threads: 1,
  };
}

/**
 * Coreset selection in `partitions` hash partitions, in this process: each partition selects
 * its share per class, the shares are merged, and every row is counted to its nearest pick.
 * Gives what distributedSelect (adacore/distributed) gives for the same rows, labels, budget,
 * partitions and seed. Rows are taken as float32 (as partition files store them).
 */
export async function selectPartitioned(vectors: VectorsInput, options: PartitionedOptions): Promise<Coreset> {
  const started = now();
  const partitions = checkPartitions(options?.partitions);
  const resolved = partitionOptions(options);
  const { rows, dim, classes, labels } = partitionInput(vectors, options);
  const n = classes.length;
  const budget = resolveBudget(options, n);
  const { partOf, counts } = countPartitions(classes, labels.length, partitions, resolved.seed);
  const plan = planPartitions(counts, labels, budget, dim, resolved);
  const members = partitionMembers(partOf, partitions);
  const candidates: Candidates[] = [];
  for (let j = 0; j < partitions; j++) candidates.push(await selectPartition(plan, j, gatherPartition(rows, dim, classes, members[j]), options.signal));
  const selection = await mergeCandidates(plan, candidates, options.signal);
  const partCounts: PartitionCounts[] = [];
  for (let j = 0; j < partitions; j++) {
    options.signal?.throwIfAborted();
    partCounts.push(await assignPartition(plan, j, gatherPartition(rows, dim, classes, members[j]), selection));
  }
  return finishPartitioned(plan, selection, partCounts, (now() - started) / 1000);
}
