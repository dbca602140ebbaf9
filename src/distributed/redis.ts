// Redis connections for the driver and the workers (ioredis, as BullMQ uses it), and a bound on
// every wait: a Redis that is down or stops answering is an error that names it within
// `timeoutMs`, never a hang (ioredis would queue commands and reconnect for ever).
import { Redis, type RedisOptions } from 'ioredis';
import { AdacoreError } from '../index.js';

/** redis://[user:password@]host:port[/db], or ioredis options. */
export type RedisConnection = string | RedisOptions;

export function describe(connection: RedisConnection): string {
  if (typeof connection === 'string') return connection.replace(/\/\/[^@/]*@/, '//***@');
  return `redis://${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
}

/** A client BullMQ accepts for queues, flows and workers (maxRetriesPerRequest null: its blocking commands need it). */
export function redisClient(connection: RedisConnection): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: null, connectTimeout: 2000, lazyConnect: false,
    // reconnect at most every second: a worker outlives a Redis restart
    retryStrategy: (times) => Math.min(200 * times, 1000),
  };
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection)) throw new AdacoreError('redis', `expected a redis://host:port URL, got ${JSON.stringify(connection)}`);
    return new Redis(connection, options);
  }
  if (connection === null || typeof connection !== 'object') throw new AdacoreError('redis', 'expected a redis:// URL or ioredis options');
  return new Redis({ ...connection, ...options });
}

/** `promise`, or an AdacoreError naming Redis once `timeoutMs` pass without an answer. */
export async function answered<T>(promise: Promise<T>, timeoutMs: number, connection: RedisConnection, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AdacoreError('redis', `no answer from Redis at ${describe(connection)} within ${timeoutMs / 1000} s while ${what} (is it running and reachable?)`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch (error) {
    if (error instanceof AdacoreError) throw error;
    throw new AdacoreError('redis', `Redis at ${describe(connection)} failed while ${what}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
