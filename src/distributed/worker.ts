// A distributed-selection worker: a BullMQ Worker on the run queue whose jobs run in job
// threads (thread-pool.ts), so that this thread's event loop stays free to renew job locks.
// A worker killed mid-job stops renewing its lock; after lockDuration BullMQ hands the job to
// another worker, which finds the same inputs and writes the same output.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { AdacoreError } from '../index.js';
import type { JobData, JobName } from './addresses.js';
import { redisClient, type RedisConnection } from './redis.js';
import { JobError, ThreadPool } from './thread-pool.js';

export const DEFAULT_QUEUE = 'adacore';

export interface WorkerOptions {
  redis: RedisConnection;
  /** The queue's name (the driver's `queue`). */
  queue?: string;
  /** Jobs at once, each in its own thread. */
  concurrency?: number;
  /** How long a job's lock lasts without renewal (ms): how soon a dead worker's job is taken over. */
  lockDuration?: number;
  /** How often stalled jobs are looked for (ms). */
  stalledInterval?: number;
  /** Called as each job starts and ends (the CLI logs them). */
  onJob?: (event: { event: 'start' | 'done' | 'failed'; id: string; name: string; partition?: number; message?: string }) => void;
}

export interface RunningWorker {
  /** Finish the jobs in hand, take no more, stop the threads and the connection. */
  close(): Promise<void>;
}

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new AdacoreError(name, `expected a positive integer, got ${value}`);
  return value;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const concurrency = positiveInteger(options.concurrency, 'concurrency', 1);
  const lockDuration = positiveInteger(options.lockDuration, 'lockDuration', 30_000);
  const stalledInterval = positiveInteger(options.stalledInterval, 'stalledInterval', Math.min(30_000, lockDuration));
  const pool = new ThreadPool(new URL('./adacore-distributed-thread.mjs', import.meta.url), concurrency);
  const connection = redisClient(options.redis);
  const processor = async (job: Job<JobData>) => {
    const partition = job.data?.partition;
    options.onJob?.({ event: 'start', id: job.id!, name: job.name, partition });
    try {
      // 0 when taken, 100 when done: what QueueEvents listeners (a dashboard) see
      await job.updateProgress(0);
      const result = await pool.run(job.name as JobName, job.data);
      await job.updateProgress(100);
      options.onJob?.({ event: 'done', id: job.id!, name: job.name, partition });
      return result;
    } catch (error) {
      const message = partition === undefined ? (error as Error).message : `partition ${partition}: ${(error as Error).message}`;
      options.onJob?.({ event: 'failed', id: job.id!, name: job.name, partition, message });
      // altered or torn data does not mend by retrying
      if (error instanceof JobError && error.argument === 'blob') throw new UnrecoverableError(message);
      throw new Error(message);
    }
  };
  const worker = new Worker<JobData>(options.queue ?? DEFAULT_QUEUE, processor, {
    connection, concurrency, lockDuration, stalledInterval, maxStalledCount: 1, autorun: true,
  });
  // connection errors are retried by ioredis; without a listener Node would throw them
  worker.on('error', () => {});
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      await pool.close();
      connection.disconnect();
    },
  };
}
