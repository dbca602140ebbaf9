// `adacore select --distributed` and `adacore worker`: their flags, checked together before
// any data is read or any connection made. Values' domains are the library's (the driver and
// worker check them again and name the option).
import { parseDecimal } from './numbers.js';
import { UsageError } from './usage-error.js';
import { WORKER_FLAGS, parseFlags } from './flags.js';

export interface DistributedArgs {
  redis: string;
  partitions: number;
  store: string;
  queue: string | undefined;
  attempts: number | undefined;
}

type Values = Record<string, string | boolean | undefined>;

const OWN = ['redis', 'partitions', 'store', 'queue', 'attempts'];
/** The selection flags distributed selection takes (the rest pick optimizers and threads it does not use). */
const APPLIES = new Set(['distributed', ...OWN, 'input', 'labels', 'scale', 'max-input-bytes', 'budget', 'fraction', 'metric', 'seed', 'oversampling', 'block-memory', 'out', 'quiet', 'help']);

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = parseDecimal(flag, text, 'a positive integer');
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag}: expected a positive integer, got ${text}`);
  return value;
}

function redisUrl(text: string | undefined): string {
  if (text === undefined || !/^rediss?:\/\/[^\s]+$/.test(text)) throw new UsageError(`--redis: expected a URL such as redis://127.0.0.1:6379, got ${JSON.stringify(text ?? '')}`);
  return text;
}

function directory(text: string): string {
  if (text.trim() === '') throw new UsageError('--store: expected a directory, got an empty string');
  return text;
}

/** --distributed and its flags; undefined without --distributed (then none of them may be given). */
export function parseDistributed(values: Values, seen: Set<string>, hasMethod: boolean): DistributedArgs | undefined {
  if (values.distributed !== true) {
    const stray = OWN.find((name) => seen.has(name));
    if (stray !== undefined) throw new UsageError(`--${stray} applies only with --distributed`);
    return undefined;
  }
  if (hasMethod) throw new UsageError('--distributed selects the rows of --input as given; it does not take --method or --logits');
  const other = [...seen].find((name) => !APPLIES.has(name));
  if (other !== undefined) throw new UsageError(`--${other} does not apply with --distributed (each partition chooses its own optimizer)`);
  const missing = ['redis', 'partitions', 'store'].filter((name) => !seen.has(name));
  if (missing.length > 0) throw new UsageError(`--distributed needs ${missing.map((name) => `--${name}`).join(', ')}`);
  return {
    redis: redisUrl(values.redis as string),
    partitions: positiveInteger('--partitions', values.partitions as string)!,
    store: directory(values.store as string),
    queue: values.queue as string | undefined,
    attempts: positiveInteger('--attempts', values.attempts as string | undefined),
  };
}

export interface WorkerArgs {
  redis: string;
  concurrency: number | undefined;
  queue: string | undefined;
  lockDuration: number | undefined;
  stalledInterval: number | undefined;
  quiet: boolean;
}

/** `adacore worker`'s arguments; undefined when --help was asked for. */
export function parseWorker(argv: string[]): WorkerArgs | undefined {
  const { values, seen } = parseFlags(argv, WORKER_FLAGS, 'worker');
  if (values.help) return undefined;
  if (!seen.has('redis')) throw new UsageError('--redis URL is required (the Redis the driver enqueues on)');
  return {
    redis: redisUrl(values.redis as string),
    concurrency: positiveInteger('--concurrency', values.concurrency as string | undefined),
    queue: values.queue as string | undefined,
    lockDuration: positiveInteger('--lock-duration', values['lock-duration'] as string | undefined),
    stalledInterval: positiveInteger('--stalled-interval', values['stalled-interval'] as string | undefined),
    quiet: values.quiet === true,
  };
}
