// What each job does, given only its small JSON: read its inputs from the store, run one step
// of selection in hash partitions (partitionSteps of the core), write its output at its fixed
// address. Runs in a worker thread of `adacore worker` (thread-main.ts). An output already in
// the store is kept: the steps are deterministic, so a job re-run after a crash or a retry
// finds what it would write.
import { AdacoreError, partitionSteps } from '../index.js';
import type { Candidates, PartitionCounts, PartitionPlan, PartitionRows } from '../index.js';
import { blobKey, type JobData, type JobName } from './addresses.js';
import { decodeBlob, encodeBlob, type BlobArray } from './blob.js';
import { openStore, type BlobStore } from './store.js';

async function read(store: BlobStore, key: string) {
  return decodeBlob(await store.get(key), key);
}

export async function readPlan(store: BlobStore, run: string): Promise<PartitionPlan> {
  return (await read(store, blobKey.plan(run))).meta as PartitionPlan;
}

function arraysOf<T>(decoded: { arrays: Record<string, BlobArray> }, key: string, names: string[]): T {
  for (const name of names) if (decoded.arrays[name] === undefined) throw new AdacoreError('blob', `${key}: lacks the array ${name}`);
  return decoded.arrays as unknown as T;
}

export async function readPartition(store: BlobStore, run: string, j: number): Promise<PartitionRows> {
  const key = blobKey.input(run, j);
  return arraysOf<PartitionRows>(await read(store, key), key, ['rows', 'indices', 'classes']);
}

async function readCandidates(store: BlobStore, key: string): Promise<Candidates> {
  const decoded = await read(store, key);
  const arrays = arraysOf<Omit<Candidates, 'evaluations'>>(decoded, key, ['rows', 'indices', 'classes', 'weights', 'gains']);
  return { ...arrays, evaluations: (decoded.meta as { evaluations: number }).evaluations };
}

function candidatesBlob(c: Candidates): Uint8Array {
  return encodeBlob({ rows: c.rows, indices: c.indices, classes: c.classes, weights: c.weights, gains: c.gains }, { evaluations: c.evaluations });
}

/** Whether `key` holds a blob that reads back whole (a re-run job keeps it). */
async function done(store: BlobStore, key: string): Promise<boolean> {
  if (!(await store.has(key))) return false;
  try { await read(store, key); return true; } catch { return false; }
}

function partitionOf(data: JobData, plan: PartitionPlan): number {
  const j = data.partition;
  if (!Number.isInteger(j) || j! < 0 || j! >= plan.partitions) throw new AdacoreError('job', `expected a partition in [0, ${plan.partitions}), got ${String(j)}`);
  return j!;
}

/** Runs job `name`; returns a small JSON summary (what BullMQ keeps as the job's return value). */
export async function runJob(name: JobName, data: JobData): Promise<Record<string, number>> {
  if (typeof data?.run !== 'string') throw new AdacoreError('job', 'its data lacks the run id');
  const store = openStore(data.store);
  const plan = await readPlan(store, data.run);
  const { run } = data;
  switch (name) {
    case 'select': {
      const j = partitionOf(data, plan);
      const key = blobKey.candidates(run, j);
      if (await done(store, key)) return { partition: j, kept: 1 };
      const candidates = await partitionSteps.selectPartition(plan, j, await readPartition(store, run, j));
      await store.put(key, candidatesBlob(candidates));
      return { partition: j, picks: candidates.indices.length };
    }
    case 'merge': {
      const key = blobKey.selection(run);
      if (await done(store, key)) return { kept: 1 };
      const candidates: Candidates[] = [];
      for (let j = 0; j < plan.partitions; j++) candidates.push(await readCandidates(store, blobKey.candidates(run, j)));
      const selection = await partitionSteps.mergeCandidates(plan, candidates);
      await store.put(key, candidatesBlob(selection));
      return { picks: selection.indices.length };
    }
    case 'assign': {
      const j = partitionOf(data, plan);
      const key = blobKey.counts(run, j);
      if (await done(store, key)) return { partition: j, kept: 1 };
      const selection = await readCandidates(store, blobKey.selection(run));
      const counts = await partitionSteps.assignPartition(plan, j, await readPartition(store, run, j), selection);
      await store.put(key, encodeBlob({ counts: counts.counts }, { cost: counts.cost }));
      return { partition: j };
    }
    case 'count': {
      const key = blobKey.result(run);
      if (await done(store, key)) return { kept: 1 };
      const selection = await readCandidates(store, blobKey.selection(run));
      const counts: PartitionCounts[] = [];
      for (let j = 0; j < plan.partitions; j++) {
        const countsKey = blobKey.counts(run, j);
        const decoded = await read(store, countsKey);
        counts.push({ counts: arraysOf<{ counts: Float64Array }>(decoded, countsKey, ['counts']).counts, cost: (decoded.meta as { cost: number }).cost });
      }
      const coreset = partitionSteps.finishPartitioned(plan, selection, counts, 0);
      await store.put(key, encodeBlob(
        { indices: coreset.indices, weights: coreset.weights, gains: coreset.gains },
        { cost: coreset.cost, optimizer: coreset.optimizer, evaluations: coreset.evaluations },
      ));
      return { picks: coreset.indices.length };
    }
    default:
      throw new AdacoreError('job', `unknown job ${JSON.stringify(name)}`);
  }
}
