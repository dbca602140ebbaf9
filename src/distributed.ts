/**
 * adacore/distributed (dist/adacore-distributed.mjs), Node only: selection in hash partitions
 * on many machines, as BullMQ flows on Redis (bullmq and ioredis are the caller's optional peer
 * dependencies). The core bundle stays free of it. docs/distributed.md.
 * @module adacore/distributed
 */
export { distributedSelect, type DistributedCoreset, type DistributedOptions, type DistributedProgress } from './distributed/driver.js';
export { startWorker, DEFAULT_QUEUE, type RunningWorker, type WorkerOptions } from './distributed/worker.js';
export { DirectoryStore, openStore, registerStore, type BlobStore, type StoreDescriptor, type Opener as StoreOpener } from './distributed/store.js';
export { encodeBlob, decodeBlob, type BlobArray, type DecodedBlob } from './distributed/blob.js';
export { blobKey, jobId, type JobData, type JobName } from './distributed/addresses.js';
export type { RedisConnection } from './distributed/redis.js';
