// Distributed selection on this machine: Fashion-MNIST's 60,000 training images projected to 16
// dimensions (a seeded Gaussian projection) and repeated with seeded noise up to n rows (10
// million by default), with their labels, 1 %. Contenders, each in a child process of its own
// (so that peak memory is its own), alternated in one run:
//   * single: selectCoreset (optimizer auto: the one-machine large-n path), threads 2;
//   * partitioned: selectPartitioned (the distributed run's steps in one process);
//   * distributed, 1 worker and 2 workers (`adacore worker` processes, concurrency 1) on a
//     redis-server started here (127.0.0.1, free port, persistence off): wall time of the
//     driver (partition files included), each step's time, the driver's and each worker's peak
//     resident memory, and Redis traffic (INFO stats before and after).
// Then a model of 100 million rows on N machines from the measured per-row costs.
//   npm run build && node bench/distributed.mjs [--rows N] [--partitions P] [--quick]
//     [--only single,partitioned,workers1,workers2] (ratios and the model need the runs they use)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { projectedFashion } from './projected-fashion.mjs';

const { values } = parseArgs({ options: {
  child: { type: 'string' }, rows: { type: 'string' }, partitions: { type: 'string' }, quick: { type: 'boolean', default: false }, only: { type: 'string' },
} });
const DIM = 16;
const FRACTION = 0.01;
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const lib = await import('../dist/adacore.mjs');

/** The cached rows and labels (.npy), made if missing. */
async function dataset(n) {
  const file = join(tmpdir(), `adacore-distributed-${n}x${DIM}.npy`), labelsFile = `${file.slice(0, -4)}-labels.npy`;
  if (existsSync(file) && existsSync(labelsFile)) return { file, labelsFile };
  const FASHION = '/usr/share/datasets/fashion-mnist';
  const labels = await lib.readIdxLabels(readFileSync(`${FASHION}/train-labels-idx1-ubyte.gz`));
  const { base, rows, normal } = await projectedFashion(lib, DIM, 4321);
  const out = new Float32Array(n * DIM), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const from = i % rows, copy = Math.floor(i / rows);
    y[i] = labels[from];
    for (let c = 0; c < DIM; c++) out[i * DIM + c] = base[from * DIM + c] + (copy === 0 ? 0 : 0.05 * normal());
  }
  writeFileSync(`${file}.tmp`, lib.encodeNpy(out, [n, DIM])); renameSync(`${file}.tmp`, file);
  writeFileSync(`${labelsFile}.tmp`, lib.encodeNpy(y, [n])); renameSync(`${labelsFile}.tmp`, labelsFile);
  return { file, labelsFile };
}

function load({ file, labelsFile }) {
  return { x: lib.readNpyMatrix(readFileSync(file)), labels: lib.readNpyLabels(readFileSync(labelsFile)) };
}

const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** A process's peak resident memory (VmHWM), in MiB. */
const peakOf = (pid) => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024);

async function freePort() {
  return new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
}

async function redisStats(port) {
  const { Redis } = await import('ioredis');
  const client = new Redis(port, '127.0.0.1');
  const info = await client.info('stats');
  client.disconnect();
  const get = (key) => Number(new RegExp(`${key}:(\\d+)`).exec(info)?.[1]);
  return { in: get('total_net_input_bytes'), out: get('total_net_output_bytes'), commands: get('total_commands_processed') };
}

// a child: one contender
if (values.child) {
  const task = JSON.parse(values.child);
  const { x, labels } = load(task.data);
  const started = performance.now();
  let result;
  const phases = {};
  if (task.kind === 'single') result = await lib.selectCoreset(x.data, { dim: x.dim, labels, fraction: FRACTION, threads: 2 });
  else if (task.kind === 'partitioned') result = await lib.selectPartitioned(x.data, { dim: x.dim, labels, fraction: FRACTION, partitions: task.partitions });
  else {
    const { distributedSelect } = await import('../dist/adacore-distributed.mjs');
    let last = performance.now(), phase;
    result = await distributedSelect({
      input: x.data, dim: x.dim, labels, fraction: FRACTION, partitions: task.partitions, store: task.store, connection: task.redis, timeout: 60_000,
      onProgress: (p) => {
        if (p.phase === phase) return;
        const now = performance.now();
        if (phase) phases[phase] = Number((((phases[phase] ?? 0) * 1000 + now - last) / 1000).toFixed(2));
        phase = p.phase; last = now;
      },
    });
    phases[phase] = Number((((phases[phase] ?? 0) * 1000 + performance.now() - last) / 1000).toFixed(2));
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({
    seconds, cost: result.cost, optimizer: result.optimizer, picks: result.indices.length, peakRssMiB: peakMiB(), phases,
    indicesHash: lib.mulberry32 && Array.from(result.indices).reduce((h, v) => (Math.imul(h, 31) + v) >>> 0, 7),
    weightsSum: result.weights.reduce((a, b) => a + b, 0),
  }));
  process.exit(0);
}

function child(task) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', JSON.stringify(task)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${task.kind}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function distributedRun(data, workers, partitions) {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const url = `redis://127.0.0.1:${port}`;
  const procs = Array.from({ length: workers }, () => spawn(process.execPath, [join(ROOT, 'bin', 'adacore.mjs'), 'worker', '--redis', url, '--quiet'], { stdio: 'ignore' }));
  const store = mkdtempSync(join(tmpdir(), 'adacore-bench-store-'));
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const before = await redisStats(port);
    const result = await new Promise((resolve, reject) => {
      const c = spawn(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', JSON.stringify({ kind: 'distributed', data, partitions, store, redis: url })], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '';
      c.stdout.on('data', (d) => { out += d; }); c.stderr.on('data', (d) => { err += d; });
      c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
    });
    const after = await redisStats(port);
    return {
      ...result, workers, workerPeakRssMiB: procs.map((p) => peakOf(p.pid)),
      redis: { bytesIn: after.in - before.in, bytesOut: after.out - before.out, commands: after.commands - before.commands },
    };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode === null ? p.once('exit', r) : r()))));
    redis.kill('SIGTERM');
    rmSync(store, { recursive: true, force: true });
  }
}

const n = Number(values.rows ?? (values.quick ? 1_000_000 : 10_000_000));
const partitions = Number(values.partitions ?? 8);
const data = await dataset(n);
const runs = {};
const r = (x, d = 3) => Number(x.toPrecision(d));
const wanted = (name) => values.only === undefined || values.only.split(',').includes(name);
for (const kind of ['single', 'partitioned']) {
  if (!wanted(kind)) continue;
  runs[kind] = child({ kind, data, partitions });
  console.error(JSON.stringify({ [kind]: runs[kind] }));
}
for (const workers of [1, 2]) {
  if (!wanted(`workers${workers}`)) continue;
  runs[`workers${workers}`] = await distributedRun(data, workers, partitions);
  console.error(JSON.stringify({ [`workers${workers}`]: runs[`workers${workers}`] }));
}
const one = runs.workers1 ?? { phases: {}, workerPeakRssMiB: [NaN], peakRssMiB: NaN };
// The model keeps the measured partition size (n / partitions rows), so a partition's select
// time and a worker's memory are as measured; assignment costs rows x picks per class x d, and
// at a fixed fraction the picks grow with n, so each partition's assign time grows by 100M / n.
const big = 100_000_000;
const rowsPerPartition = n / partitions;
const bigPartitions = Math.ceil(big / rowsPerPartition);
const selectPerPartition = one.phases.select / partitions, assignPerPartition = one.phases.assign / partitions;
const model = [4, 16, 64].map((machines) => {
  const waves = Math.ceil(bigPartitions / machines);
  const select = waves * selectPerPartition, assign = waves * assignPerPartition * (big / n);
  const write = one.phases.write * (big / n), merge = one.phases.merge * (big / n);
  return {
    machines, partitions: bigPartitions, rowsPerPartition, workerMemoryMiB: Math.max(...one.workerPeakRssMiB),
    driverMemoryMiB: Math.round(one.peakRssMiB * (big / n)), picks: big * FRACTION,
    selectSeconds: r(select), assignSeconds: r(assign), driverWriteSeconds: r(write), mergeSeconds: r(merge), seconds: r(write + select + merge + assign),
  };
});
console.log(JSON.stringify({
  environment: { node: process.version, cpu: cpus()[0]?.model, cores: cpus().length },
  data: `Fashion-MNIST train images projected to ${DIM} dimensions (seeded Gaussian), repeated with noise N(0, 0.05^2) per copy, with their labels`,
  rows: n, dim: DIM, fraction: FRACTION, partitions, runs,
  ratios: {
    workers2OverWorkers1: runs.workers2 && r(runs.workers2.seconds / one.seconds),
    workers1OverSingle: runs.single && r(one.seconds / runs.single.seconds), workers2OverSingle: runs.single && runs.workers2 && r(runs.workers2.seconds / runs.single.seconds),
    costOverSingle: runs.single && r(one.cost / runs.single.cost, 5),
    sameAsPartitioned: runs.partitioned && one.indicesHash === runs.partitioned.indicesHash && runs.workers2?.indicesHash === runs.partitioned.indicesHash && one.cost === runs.partitioned.cost,
  },
  model100M: model,
}, null, 1));
