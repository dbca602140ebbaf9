// The long fuzz run (`npm run fuzz -- --iterations N --seed S`): every reader of the built bundle
// (dist/adacore.mjs) on N mutants each, then --cli C mutated command lines of bin/adacore.mjs.
// Prints one JSON document: counts per reader and for the CLI, and each finding with what
// replays it. Exits 1 if there are findings. test/node/fuzz.test.ts runs the same code briefly.
//
// The readers run in a worker thread, one per reader, watched from here: an input that stops the
// heartbeat for --hang-s seconds (a hang) or kills the worker (out of memory) is a finding, and
// the worker restarts after it. Replay one input: --replay readCsvMatrix:816 (same --seed).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { TARGETS, fuzzReaders, makeInput, readOne, seedPool } from './fuzz/readers.mjs';
import { fuzzCli } from './fuzz/cli.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'adacore.mjs');
const BIN = join(ROOT, 'bin', 'adacore.mjs');

const loadLib = () => import(pathToFileURL(BUNDLE).href);

if (!isMainThread) {
  // worker: one reader, iterations [start, end), a heartbeat before each input
  const { target, seed, start, iterations, boundMs } = workerData;
  process.on('unhandledRejection', (e) => parentPort.postMessage({ kind: 'unhandled', message: String(e?.stack ?? e).split('\n')[0] }));
  const lib = await loadLib();
  await fuzzReaders({
    lib, seed, iterations, start, boundMs, root: ROOT, only: [target],
    onInput: (_, i) => parentPort.postMessage({ kind: 'beat', i }),
    onResult: (_, i, outcome, finding) => parentPort.postMessage({ kind: 'result', outcome, finding: finding && portable(finding) }),
  });
  parentPort.postMessage({ kind: 'done' });
} else {
  await main();
}

/** A finding as JSON: the input inline when small (base64), else its size and how to replay it. */
function portable(f) {
  const { bytes, ...rest } = f;
  return { ...rest, ...(bytes.length <= 2048 ? { base64: Buffer.from(bytes).toString('base64') } : {}), replay: `--seed ${f.seed} --replay ${f.target}:${f.iteration}` };
}

/** One reader's run, restarting its worker after an input that hangs or kills it. */
function runTarget(target, { seed, iterations, boundMs, hangMs }) {
  const counts = { tried: 0, accepted: 0, rejected: 0, capped: 0, findings: 0 };
  const findings = [];
  return new Promise((resolve) => {
    const start = (from) => {
      if (from >= iterations) return resolve({ counts, findings });
      let current = from;
      let pending = true; // input `current` started and has no result yet (loading counts as part of the first)
      let last = Date.now();
      let settled = false;
      const worker = new Worker(new URL(import.meta.url), { workerData: { target, seed, start: from, iterations, boundMs }, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
      const lost = (problem) => {
        if (settled) return;
        settled = true;
        clearInterval(watch);
        if (pending) {
          counts.tried++;
          counts.findings++;
          findings.push({ target, seed, iteration: current, problem, replay: `--seed ${seed} --replay ${target}:${current}` });
        }
        worker.terminate().finally(() => start(current + 1));
      };
      const watch = setInterval(() => { if (Date.now() - last > hangMs) lost(`no progress for ${hangMs / 1000} s (a hang)`); }, 500);
      worker.on('message', (m) => {
        if (settled) return;
        if (m.kind === 'beat') { current = m.i; pending = true; last = Date.now(); }
        else if (m.kind === 'result') {
          pending = false;
          counts.tried++;
          counts[m.outcome === 'finding' ? 'findings' : m.outcome]++;
          if (m.finding) findings.push(m.finding);
        } else if (m.kind === 'unhandled') {
          counts.findings++;
          findings.push({ target, seed, iteration: current, problem: `unhandled rejection: ${m.message}` });
        } else if (m.kind === 'done') { settled = true; clearInterval(watch); worker.terminate().finally(() => resolve({ counts, findings })); }
      });
      worker.on('error', (e) => lost(`the worker died: ${e.code ?? ''} ${e.message}`.trim()));
      worker.on('exit', (code) => { if (!settled) lost(`the worker exited with ${code}`); });
    };
    start(0);
  });
}

async function replay(spec, seed, boundMs) {
  const [name, at] = spec.split(':');
  const target = TARGETS.find((t) => t.name === name);
  if (!target || !/^\d+$/.test(at ?? '')) throw new Error(`--replay: expected READER:ITERATION with READER one of ${TARGETS.map((t) => t.name).join(', ')}`);
  const input = makeInput(seedPool(seed, ROOT), target, seed, Number(at));
  const res = await readOne(await loadLib(), target, input.bytes, input.opts, input.format, boundMs);
  const text = new TextDecoder().decode(input.bytes.subarray(0, 400));
  const options = Object.fromEntries(Object.entries(input.opts).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? String(v) : v]));
  return { target: name, iteration: Number(at), seed: input.seedName, ops: input.ops, options, size: input.bytes.length, ...res, start: text };
}

async function main() {
  const { values } = parseArgs({
    options: {
      iterations: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' }, cli: { type: 'string', default: '200' },
      'bound-ms': { type: 'string', default: '2000' }, 'hang-s': { type: 'string', default: '30' }, readers: { type: 'string' }, replay: { type: 'string' },
    },
  });
  const int = (name) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < 0) { process.stderr.write(`fuzz: --${name}: expected a non-negative integer, got ${values[name]}\n`); process.exit(2); }
    return v;
  };
  const seed = int('seed');
  const boundMs = int('bound-ms');
  if (!existsSync(BUNDLE)) { process.stderr.write('fuzz: dist/adacore.mjs is missing: run npm run build first\n'); process.exit(2); }
  if (values.replay) { process.stdout.write(`${JSON.stringify(await replay(values.replay, seed, boundMs), null, 1)}\n`); return; }
  const iterations = int('iterations');
  const names = values.readers ? values.readers.split(',') : TARGETS.map((t) => t.name);
  const began = Date.now();
  const readers = {};
  const findings = [];
  for (const name of names) {
    const t0 = Date.now();
    const r = await runTarget(name, { seed, iterations, boundMs, hangMs: int('hang-s') * 1000 });
    readers[name] = { ...r.counts, seconds: Math.round((Date.now() - t0) / 100) / 10 };
    findings.push(...r.findings);
    process.stderr.write(`fuzz: ${name}: ${JSON.stringify(readers[name])}\n`);
  }
  const total = { tried: 0, accepted: 0, rejected: 0, capped: 0, findings: 0 };
  for (const c of Object.values(readers)) for (const k of Object.keys(total)) total[k] += c[k];
  let cli;
  const cases = int('cli');
  if (cases > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'adacore-fuzz-'));
    try {
      const t0 = Date.now();
      const lib = await loadLib();
      const r = fuzzCli({ count: cases, seed, dir, bin: BIN, lib, pool: seedPool(seed, ROOT) });
      cli = { ...r.counts, seconds: Math.round((Date.now() - t0) / 100) / 10 };
      findings.push(...r.findings);
      process.stderr.write(`fuzz: cli: ${JSON.stringify(cli)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const doc = {
    seed, iterationsPerReader: iterations, machine: cpus()[0]?.model ?? 'unknown', node: process.version,
    seconds: Math.round((Date.now() - began) / 1000), readers: { ...readers, total }, cli: cli ?? null, findings,
  };
  process.stdout.write(`${JSON.stringify(doc, null, 1)}\n`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}
