// adacore/distributed end to end: a real redis-server (test/node/redis-server.ts), worker
// processes started as users start them (`adacore worker`), the driver in this process, on
// Fashion-MNIST's 10,000 test images (the committed slice, repeated with noise, where the
// dataset package is absent). Every result is compared with selectPartitioned in one process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
// the bundles, as users get them: the worker's job threads are dist files
import * as lib from '../../dist/adacore.mjs';
import * as distributed from '../../dist/adacore-distributed.mjs';
import { fashion } from '../shared/data.js';
import { startRedis, type TestRedis } from './redis-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'adacore.mjs');
const FASHION = '/usr/share/datasets/fashion-mnist';
const RUN = { fraction: 0.1, partitions: 8, seed: 7 } as const;

interface WorkerProcess { child: ChildProcess; lines: string[]; exited: Promise<number | null> }

function startWorkerProcess(url: string): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--lock-duration', '1000', '--stalled-interval', '500'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  let rest = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function loadRows(): Promise<{ x: Float32Array; labels: Int32Array; dim: number }> {
  if (existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)) {
    const images = await lib.readIdxMatrix(new Uint8Array(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)), { scale: 1 / 255 });
    const labels = await lib.readIdxLabels(new Uint8Array(readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`)));
    return { x: images.data as Float32Array, labels: Int32Array.from(labels), dim: 784 };
  }
  const { vectors, labels, dim, rows } = fashion();
  const copies = 16, random = lib.mulberry32(1);
  const x = new Float32Array(copies * vectors.length);
  for (let k = 0; k < x.length; k++) x[k] = vectors[k % vectors.length] + (k < vectors.length ? 0 : (random() / 2 ** 32 - 0.5) * 0.02);
  return { x, labels: Int32Array.from({ length: copies * rows }, (_, i) => labels[i % rows]), dim };
}

/** Jobs of the queue in any state: none may be left behind by a run. */
async function jobsLeft(url: string): Promise<number> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(distributed.DEFAULT_QUEUE, { connection });
  try {
    const counts = await queue.getJobCounts();
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

const store = () => mkdtempSync(join(tmpdir(), 'adacore-store-'));

describe('distributed selection: BullMQ on Redis, worker processes', () => {
  let redis: TestRedis;
  let workers: WorkerProcess[] = [];
  let data: Awaited<ReturnType<typeof loadRows>>;
  let reference: Awaited<ReturnType<typeof lib.selectPartitioned>>;
  const options = () => ({ input: data.x, dim: data.dim, labels: data.labels, ...RUN, connection: redis.url, timeout: 5000 });

  beforeAll(async () => {
    redis = await startRedis();
    data = await loadRows();
    reference = await lib.selectPartitioned(data.x, { dim: data.dim, labels: data.labels, ...RUN });
    workers = [0, 1, 2].map(() => startWorkerProcess(redis.url));
    await until(() => workers.every((w) => w.lines.some((l) => l.includes('ready on'))), 'three workers to be ready');
  });

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await redis?.stop();
  });

  it('3 worker processes select 8 partitions: the coreset equals the single-process run; nothing left in Redis, only the result and plan in the store', async () => {
    const dir = store();
    const progress: string[] = [];
    const result = await distributed.distributedSelect({ ...options(), store: dir, onProgress: (p: { phase: string }) => progress.push(p.phase) });
    expect(Array.from(result.indices)).toEqual(Array.from(reference.indices));
    expect(Array.from(result.weights)).toEqual(Array.from(reference.weights));
    expect(Array.from(result.gains)).toEqual(Array.from(reference.gains));
    expect(result.cost).toBe(reference.cost);
    expect(result.weights.reduce((a: number, b: number) => a + b, 0)).toBe(data.labels.length);
    expect(result.path).toBe('partitions');
    expect(new Set(progress)).toEqual(new Set(['write', 'select', 'merge', 'assign', 'count']));
    // every worker took jobs: the run was spread over the processes
    for (const w of workers) expect(w.lines.some((l) => l.includes(`started ${result.run}-`))).toBe(true);
    expect(await jobsLeft(redis.url)).toBe(0);
    expect(readdirSync(join(dir, 'runs', result.run)).sort()).toEqual(['plan.blob', 'result.blob']);
    // a re-run driver changes nothing: it finds the result at its address
    const again = await distributed.distributedSelect({ ...options(), store: dir });
    expect(again.run).toBe(result.run);
    expect(Array.from(again.indices)).toEqual(Array.from(result.indices));
    expect(await jobsLeft(redis.url)).toBe(0);
  });

  it('a worker killed with SIGKILL in the middle of the merge job: another takes it over once the lock expires; the coreset is the same, nothing lost or counted twice', async () => {
    // this run's lines only (the run id, a hash of the data and plan, is the first test's too)
    const from = new Map(workers.map((w) => [w, w.lines.length]));
    const linesOf = (w: WorkerProcess) => w.lines.slice(from.get(w));
    const running = distributed.distributedSelect({ ...options(), store: store() });
    let victim: WorkerProcess | undefined;
    await until(() => (victim = workers.find((w) => linesOf(w).some((l) => /started \w+-merge$/.test(l)))) !== undefined, 'a worker to start the merge');
    victim!.child.kill('SIGKILL');
    expect(await victim!.exited).toBe(null);
    const result = await running;
    const merge = `started ${result.run}-merge`;
    expect(linesOf(victim!).some((l) => l.endsWith(`finished ${result.run}-merge`))).toBe(false);
    // taken over: another worker started the same job after the kill
    expect(workers.filter((w) => w !== victim).some((w) => linesOf(w).some((l) => l.endsWith(merge)))).toBe(true);
    expect(Array.from(result.indices)).toEqual(Array.from(reference.indices));
    expect(Array.from(result.weights)).toEqual(Array.from(reference.weights));
    expect(result.cost).toBe(reference.cost);
    workers = workers.filter((w) => w !== victim);
    workers.push(startWorkerProcess(redis.url));
    expect(await jobsLeft(redis.url)).toBe(0);
  });

  it('a partition whose file went missing fails on every attempt, then the run fails naming partition 5; no job left behind', async () => {
    const dir = store();
    let run = '';
    const started = Date.now();
    const error = await distributed.distributedSelect({
      ...options(), store: dir, attempts: 2, backoff: 100,
      onProgress: (p: { phase: string; done: number; total: number }) => {
        if (p.phase !== 'write' || p.done !== p.total) return;
        run = readdirSync(join(dir, 'runs'))[0];
        rmSync(join(dir, 'runs', run, 'input-5.blob'));
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(lib.AdacoreError);
    expect((error as Error).message).toMatch(/^partition: partition 5 failed after 2 attempt\(s\): partition 5: store: .*input-5\.blob: no such blob/);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await jobsLeft(redis.url)).toBe(0);
    expect(workers.some((w) => w.lines.some((l) => l.includes(`failed ${run}-select-5`)))).toBe(true);
  });

  it('a corrupted partition file (one flipped byte) is refused at once with a checksum error naming partition 3', async () => {
    const dir = store();
    const error = await distributed.distributedSelect({
      ...options(), store: dir, attempts: 3, backoff: 100,
      onProgress: (p: { phase: string; done: number; total: number }) => {
        if (p.phase !== 'write' || p.done !== p.total) return;
        const file = join(dir, 'runs', readdirSync(join(dir, 'runs'))[0], 'input-3.blob');
        const bytes = readFileSync(file);
        bytes[bytes.length - 100] ^= 0x40;
        writeFileSync(file, bytes);
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^partition: partition 3 failed after 1 attempt\(s\): partition 3: blob: .*input-3\.blob: checksum mismatch/);
    expect(await jobsLeft(redis.url)).toBe(0);
  });

  it('adacore select --distributed writes the same coreset as JSON; adacore worker exits 0 on SIGTERM after a clean shutdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adacore-cli-'));
    writeFileSync(join(dir, 'x.npy'), lib.encodeNpy(data.x, [data.labels.length, data.dim]));
    writeFileSync(join(dir, 'y.npy'), lib.encodeNpy(data.labels, [data.labels.length]));
    const cli = spawn(process.execPath, [BIN, 'select', '--input', 'x.npy', '--labels', 'y.npy', '--fraction', '0.1', '--seed', '7', '--distributed',
      '--redis', redis.url, '--partitions', '8', '--store', 'store', '--out', 'coreset.json'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    cli.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise((resolve) => cli.once('exit', resolve));
    expect(stderr).toMatch(/selected 1000 of 10000 rows in 10 classes \(path partitions/);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'coreset.json'), 'utf8'));
    expect(json.indices).toEqual(Array.from(reference.indices));
    expect(json.weights).toEqual(Array.from(reference.weights));
    const w = workers.pop()!;
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.lines.at(-1)).toMatch(/stopped$/);
  });

  it('Redis unreachable: a clear error naming it within the timeout, before any file is written', async () => {
    const dir = store();
    const started = Date.now();
    const error = await distributed.distributedSelect({ ...options(), connection: 'redis://127.0.0.1:1', timeout: 2000, store: dir }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^redis: (no answer from Redis at redis:\/\/127\.0\.0\.1:1 within 2 s while connecting|Redis at redis:\/\/127\.0\.0\.1:1 failed while connecting)/);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('Redis stopped in the middle of a run: a clear error within the timeout, no hang', async () => {
    const own = await startRedis();
    const started = Date.now();
    let stopping: Promise<void> | undefined;
    const error = await distributed.distributedSelect({
      ...options(), connection: own.url, timeout: 2000, store: store(),
      // no worker listens on this Redis: the run waits on its select jobs when Redis goes
      onProgress: (p: { phase: string }) => { if (p.phase === 'select') stopping ??= own.stop(); },
    }).catch((e: unknown) => e);
    await stopping;
    expect((error as Error).message).toMatch(/^redis: (no answer from Redis at .* within 2 s|Redis at .* failed) while (waiting for the merge job|reading progress)/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
