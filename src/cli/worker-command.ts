// `adacore worker`: take distributed-selection jobs until SIGTERM or Ctrl-C, then finish the
// jobs in hand and exit 0. bullmq and ioredis load only here (adacore/distributed).
import type { WorkerArgs } from './parse-distributed.js';
import { EXIT_OK, reportError } from './report.js';

export async function runWorker(args: WorkerArgs): Promise<number> {
  try {
    const { startWorker } = await loadDistributed();
    const log = (line: string) => { if (!args.quiet) process.stderr.write(`adacore worker ${process.pid}: ${line}\n`); };
    const worker = await startWorker({
      redis: args.redis, concurrency: args.concurrency, queue: args.queue, lockDuration: args.lockDuration, stalledInterval: args.stalledInterval,
      onJob: ({ event, id, message }) => log(event === 'failed' ? `failed ${id}: ${message}` : `${event === 'start' ? 'started' : 'finished'} ${id}`),
    });
    log(`ready on ${args.redis.replace(/\/\/[^@/]*@/, '//***@')}, queue ${args.queue ?? 'adacore'}`);
    await new Promise<void>((resolve) => {
      const stop = () => { process.off('SIGTERM', stop); process.off('SIGINT', stop); resolve(); };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    log('stopping: finishing the jobs in hand');
    await worker.close();
    log('stopped');
    return EXIT_OK;
  } catch (e) {
    return reportError(e, undefined);
  }
}

/** adacore/distributed, with a one-line error when its peer dependencies are missing. */
export async function loadDistributed(): Promise<typeof import('../distributed.js')> {
  try {
    return await import('../distributed.js');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && /bullmq|ioredis/.test(String((e as Error).message))) {
      throw new Error('distributed selection needs bullmq and ioredis: npm install bullmq ioredis');
    }
    throw e;
  }
}
