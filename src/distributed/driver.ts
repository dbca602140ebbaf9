// distributedSelect: selection in hash partitions on many machines, as BullMQ flows on Redis.
// The driver splits the rows by a seeded hash, writes each partition to the blob store, and
// enqueues two flows: select in every partition, then merge (a parent job runs once all its
// children have succeeded); then count every partition's rows to their nearest pick, then sum.
// Jobs carry only small JSON; every output has a fixed address (addresses.ts). The same rows,
// labels, budget, partitions and seed give selectPartitioned's coreset.
import { FlowProducer, Job, Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { AdacoreError, partitionSteps, resolveBudget, type Coreset, type PartitionOptions, type PartitionPlan, type VectorsInput } from '../index.js';
import { blobKey, jobId, type JobData } from './addresses.js';
import { decodeBlob, encodeBlob } from './blob.js';
import { answered, redisClient, type RedisConnection } from './redis.js';
import { openStore, type BlobStore, type StoreDescriptor } from './store.js';
import { DEFAULT_QUEUE } from './worker.js';

export interface DistributedProgress { phase: 'write' | 'select' | 'merge' | 'assign' | 'count'; done: number; total: number }

export interface DistributedOptions extends Partial<PartitionOptions> {
  input: VectorsInput;
  dim?: number;
  labels?: ArrayLike<number>;
  budget?: number;
  fraction?: number;
  /** Hash partitions: the select and assign jobs of the run. */
  partitions: number;
  /** A directory every worker can read and write, or a store descriptor (registerStore). */
  store: string | StoreDescriptor;
  connection: RedisConnection;
  queue?: string;
  /** Tries per job before the run fails (a thrown error is retried with exponential backoff). */
  attempts?: number;
  /** First retry delay (ms); doubled each try. */
  backoff?: number;
  /** Longest wait for any answer from Redis (ms) before the run fails. */
  timeout?: number;
  /** Keep the partitions' files after success (else only the result is kept, for a re-run). */
  keepFiles?: boolean;
  onProgress?: (progress: DistributedProgress) => void;
  signal?: AbortSignal;
}

export interface DistributedCoreset extends Coreset {
  /** The run id: a hash of the rows, labels and plan; it names the run's jobs and blobs. */
  run: string;
}

const POLL_MS = 200;

export async function distributedSelect(options: DistributedOptions): Promise<DistributedCoreset> {
  const started = performance.now();
  if (options == null || typeof options !== 'object') throw new AdacoreError('options', 'expected an object');
  const partitions = partitionSteps.checkPartitions(options.partitions);
  const resolved = partitionSteps.partitionOptions(options);
  const attempts = positive(options.attempts, 'attempts', 3);
  const backoff = positive(options.backoff, 'backoff', 1000);
  const timeout = positive(options.timeout, 'timeout', 10_000);
  // absolute: workers run elsewhere
  const descriptor: StoreDescriptor = typeof options.store === 'string' ? { type: 'directory', path: resolvePath(options.store) } : options.store;
  const store = openStore(descriptor);
  const { rows, dim, classes, labels } = partitionSteps.partitionInput(options.input, options);
  const budget = resolveBudget(options, classes.length);
  const { partOf, counts } = partitionSteps.countPartitions(classes, labels.length, partitions, resolved.seed);
  const plan = partitionSteps.planPartitions(counts, labels, budget, dim, resolved);
  const run = runId(rows, classes, plan);
  const finish = (coreset: Coreset): DistributedCoreset => ({ ...coreset, run, seconds: (performance.now() - started) / 1000 });

  const cached = await readResult(store, run, plan);
  if (cached) return finish(cached);
  const report = (phase: DistributedProgress['phase'], done: number, total: number) => options.onProgress?.({ phase, done, total });

  const clients = [redisClient(options.connection), redisClient(options.connection)];
  const [queueClient, flowClient] = clients;
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const queue = new Queue(queueName, { connection: queueClient });
  const flow = new FlowProducer({ connection: flowClient });
  // BullMQ emits connection errors; they surface through `answered` instead
  queue.on('error', () => {}); flow.on('error', () => {});
  const ask = <T>(promise: Promise<T>, what: string) => answered(promise, timeout, options.connection, what);
  const data = (partition?: number): JobData => ({ run, store: descriptor, ...(partition === undefined ? {} : { partition }) });
  const jobOptions = (id: string) => ({ jobId: id, attempts, backoff: { type: 'exponential', delay: backoff }, removeOnComplete: false, removeOnFail: false });
  const parents = [jobId.merge(run), jobId.count(run)];
  let succeeded = false;
  let redisFailed = false;
  try {
    // Redis first: an unreachable one fails the run before any file is written
    await ask(queueClient.ping(), 'connecting');
    await writeInputs(store, run, plan, rows, classes, partOf, (j) => report('write', j, partitions));
    for (const [parent, child, phase, childPhase] of [['merge', 'select', 'merge', 'select'], ['count', 'assign', 'count', 'assign']] as const) {
      const parentId = parent === 'merge' ? jobId.merge(run) : jobId.count(run);
      const childId = (j: number) => (child === 'select' ? jobId.select(run, j) : jobId.assign(run, j));
      await ask(flow.add({
        name: parent, queueName, data: data(), opts: jobOptions(parentId),
        children: Array.from({ length: partitions }, (_, j) => ({
          name: child, queueName, data: data(j), opts: { ...jobOptions(childId(j)), failParentOnFailure: true },
        })),
      }), `adding the ${parent} flow`);
      await awaitFlow(queue, parentId, childId, partitions, ask, options.signal, (done) => report(childPhase, done, partitions), parent, () => report(phase, 0, 1));
      report(phase, 1, 1);
    }
    const result = await readResult(store, run, plan);
    if (!result) throw new AdacoreError('store', `the count job finished but ${blobKey.result(run)} does not read back`);
    succeeded = true;
    return finish(result);
  } catch (error) {
    redisFailed = error instanceof AdacoreError && error.argument === 'redis';
    throw error;
  } finally {
    // no job left behind, whatever happened (bounded; skipped when Redis is what failed)
    if (!redisFailed) {
      await removeJobs(queue, parents, Date.now() + timeout).catch(() => {});
      await Promise.allSettled([ask(queue.close(), 'closing'), ask(flow.close(), 'closing')]);
    }
    for (const client of clients) client.disconnect();
    if (succeeded && !options.keepFiles) await removeIntermediate(store, run, partitions);
  }
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new AdacoreError(name, `expected a positive number, got ${value}`);
  return value;
}

/** A hash of everything the result depends on. */
function runId(rows: Float32Array, classes: Int32Array, plan: PartitionPlan): string {
  return createHash('sha256')
    .update(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength))
    .update(new Uint8Array(classes.buffer, classes.byteOffset, classes.byteLength))
    .update(JSON.stringify(plan)).digest('hex').slice(0, 24);
}

/** The plan, then each partition's rows, gathered and written one partition at a time. */
async function writeInputs(
  store: BlobStore, run: string, plan: PartitionPlan, rows: Float32Array, classes: Int32Array, partOf: Int32Array,
  onWritten: (j: number) => void,
): Promise<void> {
  await store.put(blobKey.plan(run), encodeBlob({}, plan));
  const members = partitionSteps.partitionMembers(partOf, plan.partitions);
  for (let j = 0; j < plan.partitions; j++) {
    const part = partitionSteps.gatherPartition(rows, plan.dim, classes, members[j]);
    await store.put(blobKey.input(run, j), encodeBlob({ rows: part.rows, indices: part.indices, classes: part.classes }, { partition: j }));
    onWritten(j + 1);
  }
}

async function readResult(store: BlobStore, run: string, plan: PartitionPlan): Promise<Coreset | undefined> {
  const key = blobKey.result(run);
  if (!(await store.has(key))) return undefined;
  const { arrays, meta } = decodeBlob(await store.get(key), key);
  const { cost, optimizer, evaluations } = meta as { cost: number; optimizer: Coreset['optimizer']; evaluations: number };
  const indices = arrays.indices as Int32Array;
  return {
    indices, weights: arrays.weights as Float32Array, gains: arrays.gains as Float64Array, cost, path: 'partitions', seconds: 0,
    budget: indices.length, metric: plan.metric, optimizer, plannedBytes: 0, evaluations, threads: 1,
  };
}

/** Wait for a flow's parent; a failure names the partition (or the parent) and its reason. */
async function awaitFlow(
  queue: Queue, parentId: string, childId: (j: number) => string, partitions: number,
  ask: <T>(promise: Promise<T>, what: string) => Promise<T>, signal: AbortSignal | undefined, onChildren: (done: number) => void, parent: string,
  onParent: () => void,
): Promise<void> {
  let reported = -1, parentStarted = false;
  for (;;) {
    signal?.throwIfAborted();
    const job = await ask(Job.fromId(queue, parentId), `waiting for the ${parent} job`);
    if (job === undefined) throw new AdacoreError('job', `the ${parent} job ${parentId} vanished from Redis (was the queue cleared?)`);
    const state = await ask(job.getState(), `waiting for the ${parent} job`);
    if (state === 'completed') { if (reported !== partitions) onChildren(partitions); return; }
    if (state === 'failed') throw await flowFailure(queue, job, childId, partitions, ask, parent);
    const { processed = 0 } = await ask(job.getDependenciesCount({ processed: true }), 'reading progress');
    if (processed !== reported) onChildren(reported = processed);
    // every child done: the parent's own step has begun
    if (processed === partitions && !parentStarted) { parentStarted = true; onParent(); }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function flowFailure(
  queue: Queue, parent: Job, childId: (j: number) => string, partitions: number, ask: <T>(promise: Promise<T>, what: string) => Promise<T>, name: string,
): Promise<AdacoreError> {
  for (let j = 0; j < partitions; j++) {
    const child = await ask(Job.fromId(queue, childId(j)), 'reading the failure');
    if (child && (await ask(child.getState(), 'reading the failure')) === 'failed') {
      return new AdacoreError('partition', `partition ${j} failed after ${child.attemptsMade} attempt(s): ${child.failedReason}`);
    }
  }
  return new AdacoreError('job', `the ${name} job failed after ${parent.attemptsMade} attempt(s): ${parent.failedReason}`);
}

/**
 * Remove the flows (parents with their children). A child still running elsewhere (its
 * siblings go on after one fails) is locked and cannot be removed: wait for it, up to `deadline`.
 */
async function removeJobs(queue: Queue, parents: string[], deadline: number): Promise<void> {
  for (;;) {
    let left = 0;
    for (const parent of parents) {
      const job = await Job.fromId(queue, parent);
      if (job === undefined) continue;
      await queue.remove(parent, { removeChildren: true }).catch(() => {});
      if (await Job.fromId(queue, parent)) left++;
    }
    if (left === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function removeIntermediate(store: BlobStore, run: string, partitions: number): Promise<void> {
  // the result and plan stay (a re-run driver reads them); the rows and the steps' outputs go
  const keep = new Set([blobKey.result(run), blobKey.plan(run)]);
  const keys = [blobKey.selection(run)];
  for (let j = 0; j < partitions; j++) keys.push(blobKey.input(run, j), blobKey.candidates(run, j), blobKey.counts(run, j));
  for (const key of keys) if (!keep.has(key)) await store.remove(key).catch(() => {});
}

