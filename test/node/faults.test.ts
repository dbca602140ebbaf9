// Injected faults (docs/reliability.md, "Faults"): a WebGPU device lost mid-call, selection
// Workers that crash, aborts, a request beyond memoryBudget, and CLI output that cannot be
// written. Each scenario runs in a child process (test/node/fault-harness.ts) that counts live
// Workers and injects the Worker faults. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/index.js';
import { BIN, CORE, runChild, TF, withoutDawnNotes, type ChildRun } from './fault-harness.ts';

/** Rows of `dim` values in `classes` interleaved classes, deterministic (child-process source text). */
const ROWS = 'const rowsOf = (n, dim) => Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 0.37) + Math.floor(i / dim) % 5);\n'
  + 'const labelsOf = (n, classes) => Int32Array.from({ length: n }, (_, i) => i % classes);\n';

/** Why the WebGPU checks cannot run here, or undefined when Dawn gives an adapter. */
function webgpuUnavailable(): string | undefined {
  const probe = runChild(`
    let webgpu;
    try { webgpu = await import('webgpu'); } catch (e) { report({ reason: 'the webgpu package (Dawn) is not installed: ' + e.message }); process.exit(0); }
    const adapter = await webgpu.create(['backend=opengles']).requestAdapter({ featureLevel: 'compatibility' });
    report(adapter ? {} : { reason: "Dawn's OpenGL ES backend found no adapter (it needs libegl1, libegl-mesa0, libgles2 and EGL_PLATFORM=surfaceless)" });
  `, 30_000);
  return probe.report === undefined ? `the Dawn probe failed: ${probe.stderr.trim().split('\n').pop()}` : probe.report.reason;
}
const noWebGPU = webgpuUnavailable();

describe.skipIf(noWebGPU !== undefined)(`a lost WebGPU device (Dawn on llvmpipe)${noWebGPU ? `: skipped, ${noWebGPU}` : ''}`, () => {
  // One child: references on wasm, then each scenario on a fresh webgpu backend whose device is
  // destroyed in the middle of the call (at the n-th buffer read, or after a training step).
  let run: ChildRun;
  beforeAll(() => {
    run = runChild(`${ROWS}
      const webgpu = await import('webgpu');
      const lib = await import(${JSON.stringify(TF)});
      const core = await import(${JSON.stringify(CORE)});
      const warned = [];
      console.warn = (...args) => { if (!/artificially reduced/.test(String(args[0]))) warned.push(args.map(String).join(' ')); };
      const tf = lib.getTf();
      const rows = 600, f = 12, k = 4;
      const features = rowsOf(rows, f), labels = labelsOf(rows, k);
      const logits = Float32Array.from({ length: rows * k }, (_, i) => 2 * Math.cos(i * 0.37));
      const input = { features, logits, labels, batchSize: 100 }; // six batches, four reads each
      const roundOptions = { labels, fraction: 0.1 };
      const trainOptions = { x: features, y: labels, dim: f, epochs: 3, warmup: 1, model: 'mlp', hidden: [8], optimizer: 'adam', batchSize: 50, seed: 3, method: 'adacore', fraction: 0.5 };
      const curveOf = (r) => JSON.stringify(r.curve.map(({ seconds, selectionSeconds, ...p }) => p));
      const maxDiff = (a, b) => a.gradients.reduce((m, v, i) => Math.max(m, Math.abs(v - b.gradients[i]), Math.abs(a.hessianDiagonals[i] - b.hessianDiagonals[i])), 0);

      await lib.initBackend(['wasm']);
      const reference = await lib.lastLayer(input);
      const referenceRound = await new core.AdaCoreSelector({ source: () => lib.lastLayer(input), seed: 5 }).select(roundOptions);
      const referenceTrain = await lib.train(trainOptions);

      lib.useNodeWebGPU(webgpu, { flags: ['backend=opengles'], featureLevel: 'compatibility' });
      const onWebGPU = async () => {
        if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu'); // a new device (the bundle registers it again)
        const choice = await lib.initBackend(['webgpu', 'wasm', 'cpu'], { allowFallbackAdapter: true });
        if (choice.backend !== 'webgpu') throw new Error('no webgpu: ' + JSON.stringify(choice.tried));
        return tf.backend();
      };
      const destroyAtRead = (backend, n) => {
        const read = backend.getBufferData.bind(backend);
        let reads = 0;
        backend.getBufferData = (buffer) => { if (++reads === n) backend.device.destroy(); return read(buffer); };
        return () => reads;
      };
      const out = {};

      // a gradient source, no listener: console.warn says it
      let backend = await onWebGPU();
      let tensors = tf.memory().numTensors;
      const reads = destroyAtRead(backend, 5);
      const batch = await lib.lastLayer(input);
      out.source = { backend: batch.backend, reads: reads(), maxDiff: maxDiff(batch, reference), tensorsLeft: tf.memory().numTensors - tensors, warned: warned.splice(0) };
      const later = await lib.initBackend(['webgpu', 'wasm'], { allowFallbackAdapter: true });
      out.later = { backend: later.backend, reason: later.tried[0].reason };

      // a selector round whose source is interrupted, with a listener
      const changes = [];
      lib.onBackendChange(({ from, to, during, reason }) => changes.push({ from, to, during, reason }));
      backend = await onWebGPU();
      destroyAtRead(backend, 5);
      const selector = new core.AdaCoreSelector({ source: () => lib.lastLayer(input), seed: 5 });
      const round = await selector.select(roundOptions);
      out.round = {
        same: round.indices.join() === referenceRound.indices.join() && round.weights.join() === referenceRound.weights.join(),
        round: selector.round, changes: changes.splice(0), warned: warned.splice(0),
      };

      // the source's inputs are tensors on the lost device: nothing to run again on
      backend = await onWebGPU();
      const onGPU = (values, width) => tf.mul(tf.tensor2d(values, [rows, width]), 1);
      const gpuInput = { ...input, features: onGPU(features, f), logits: onGPU(logits, k) };
      destroyAtRead(backend, 5);
      const stranded = new core.AdaCoreSelector({ source: () => lib.lastLayer(gpuInput), seed: 5 });
      out.stranded = { ...(await failure(stranded.select(roundOptions))), round: stranded.round, changes: changes.splice(0) };

      // train(): the device is destroyed after step 2
      backend = await onWebGPU();
      tensors = tf.memory().numTensors;
      let destroyed = false, batchCalls = 0;
      const trained = await lib.train({ ...trainOptions, callbacks: { onBatchEnd: ({ steps }) => {
        batchCalls++;
        if (steps === 2 && !destroyed) { destroyed = true; tf.backend().device.destroy(); }
      } } });
      out.train = {
        backend: trained.backend, sameCurve: curveOf(trained) === curveOf(referenceTrain), steps: trained.steps, referenceSteps: referenceTrain.steps,
        batchCalls, tensorsLeft: tf.memory().numTensors - tensors, changes: changes.splice(0), warned: warned.splice(0),
      };
      report(out);
    `, 90_000);
  });

  it('the child ran every scenario and printed nothing unexpected', () => {
    expect(run.report, withoutDawnNotes(run.stderr)).toBeDefined();
    expect(run.status).toBe(0);
  });

  it('a gradient source falls back to wasm, runs again and gives the uninterrupted result; console.warn says so', () => {
    const { source, later } = run.report;
    expect(source.reads).toBeGreaterThan(5); // destroyed mid-call: reads went on until one failed
    expect(source.backend).toBe('wasm');
    expect(source.maxDiff).toBe(0);
    expect(source.tensorsLeft).toBe(0);
    expect(source.warned).toEqual([expect.stringMatching(/^adacore\/tf: the WebGPU device was lost during lastLayer \(destroyed: .*\); switched to 'wasm'/)]);
    // the backend instance with the lost device is never chosen again
    expect(later.backend).toBe('wasm');
    expect(later.reason).toMatch(/the webgpu backend's device was lost \(destroyed/);
  });

  it('a selector round whose source is interrupted gives the same coreset; onBackendChange reports it instead of console.warn', () => {
    const { round } = run.report;
    expect(round.same).toBe(true);
    expect(round.round).toBe(1);
    expect(round.changes).toEqual([{ from: 'webgpu', to: 'wasm', during: 'lastLayer', reason: expect.stringMatching(/^destroyed/) }]);
    expect(round.warned).toEqual([]);
  });

  it('inputs that lived on the lost device: a clear AdacoreError, and the round is not committed', () => {
    const { stranded } = run.report;
    expect(stranded.name).toBe('AdacoreError');
    expect(stranded.argument).toBe('backend');
    expect(stranded.message).toMatch(/lost during lastLayer \(destroyed.*running it again on 'wasm' failed too.*Tensors made on the lost device/);
    expect(stranded.round).toBe(0);
    expect(stranded.changes).toHaveLength(1);
  });

  it('train() starts again on wasm and ends with the uninterrupted run\'s curve, leaving no tensor', () => {
    const { train } = run.report;
    expect(train.backend).toBe('wasm');
    expect(train.sameCurve).toBe(true);
    expect(train.steps).toBe(train.referenceSteps);
    expect(train.batchCalls).toBe(train.steps + 2); // the two steps before the loss, then the whole run again
    expect(train.tensorsLeft).toBe(0);
    expect(train.changes).toEqual([{ from: 'webgpu', to: 'wasm', during: 'train', reason: expect.stringMatching(/^destroyed/) }]);
  });
}, 120_000);

describe('a selection Worker that crashes (threads: 2)', () => {
  let run: ChildRun;
  beforeAll(() => {
    run = runChild(`${ROWS}
      const { selectCoreset } = await import(${JSON.stringify(CORE)});
      const x = rowsOf(8000, 8), labels = labelsOf(8000, 4);
      const options = { dim: 8, labels, budget: 200 };
      const out = {};
      for (const fault of ['exit', 'throw', 'terminate']) {
        globalThis.workerFault = fault;
        out[fault] = await failure(selectCoreset(x, { ...options, threads: 2 }));
      }
      globalThis.workerFault = undefined;
      const one = await selectCoreset(x, { ...options, threads: 1 });
      const two = await selectCoreset(x, { ...options, threads: 2 });
      // the two kept Workers die while idle: the next call must not post to them
      await killIdle();
      const three = await selectCoreset(x, { ...options, threads: 2 });
      out.after = { same: one.indices.join() === two.indices.join() && two.indices.join() === three.indices.join(), threads: three.threads, ...workers() };
      out.timers = timers();
      report(out);
    `);
  });

  it.each([
    ['exit', /^threads: a Worker stopped with exit code 3 before finishing its task; the call was abandoned/],
    ['throw', /^threads: a Worker crashed before finishing its task \(Error: injected fault\); the call was abandoned/],
    ['terminate', /^threads: a Worker stopped with exit code \d+ before finishing its task/],
  ])('a Worker that dies by %s fails the call with an AdacoreError, and no Worker is left running', (fault, message) => {
    expect(run.report, run.stderr).toBeDefined();
    const failure = run.report[fault];
    expect(failure.name).toBe('AdacoreError');
    expect(failure.argument).toBe('threads');
    expect(failure.message).toMatch(message);
    expect(failure.live).toBe(0); // both of the call's Workers had stopped when it rejected
    expect(failure.ms).toBeLessThan(10_000);
  });

  it('afterwards the pool starts new Workers (also for kept ones that died idle), with the same picks; the process exits by itself', () => {
    expect(run.report.after).toMatchObject({ same: true, threads: 2 });
    expect(run.report.timers).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('an abort leaves no timer, Worker or tensor behind', () => {
  let core: ChildRun;
  let tf: ChildRun;
  beforeAll(() => {
    core = runChild(`${ROWS}
      const { selectCoreset } = await import(${JSON.stringify(CORE)});
      const x = rowsOf(16000, 8), labels = labelsOf(16000, 8);
      const out = {};
      const inWorkers = new AbortController();
      out.workers = await failure(selectCoreset(x, { dim: 8, labels, budget: 400, threads: 2, signal: inWorkers.signal, onProgress: () => inWorkers.abort() }));
      out.workersTimers = timers();
      const here = new AbortController();
      setTimeout(() => here.abort(), 20);
      out.here = await failure(selectCoreset(x, { dim: 8, labels, budget: 400, threads: 1, signal: here.signal }));
      out.timers = timers();
      report(out);
    `);
    tf = runChild(`${ROWS}
      const lib = await import(${JSON.stringify(TF)});
      const core = await import(${JSON.stringify(CORE)});
      await lib.initBackend(['wasm']);
      const tfjs = lib.getTf();
      const base = tfjs.memory().numTensors;
      const x = rowsOf(800, 10), y = labelsOf(800, 4);
      const plan = { x, y, dim: 10, epochs: 4, model: 'mlp', hidden: [16], optimizer: 'adam', batchSize: 40, seed: 1 };
      const out = {};
      let c = new AbortController();
      out.steps = { ...(await failure(lib.train({ ...plan, signal: c.signal, callbacks: { onBatchEnd: ({ steps }) => { if (steps === 3) c.abort(); } } }))), tensors: tfjs.memory().numTensors - base };
      c = new AbortController();
      let selections = 0;
      out.selection = {
        ...(await failure(lib.train({ ...plan, method: 'adacore', warmup: 0, fraction: 0.3, signal: c.signal,
          selection: { threads: 2, onProgress: () => c.abort() }, callbacks: { onSelection: () => selections++ } }))),
        tensors: tfjs.memory().numTensors - base,
      };
      out.selection.selections = selections;
      c = new AbortController();
      const logits = Float32Array.from({ length: 800 * 4 }, (_, i) => Math.cos(i));
      const selector = new core.AdaCoreSelector({ source: () => lib.lastLayer({ features: x, logits, labels: y }), threads: 2 });
      out.selector = { ...(await failure(selector.select({ labels: y, fraction: 0.2, signal: c.signal, onProgress: () => c.abort() }))), round: selector.round, tensors: tfjs.memory().numTensors - base };
      out.timers = timers();
      report(out);
    `);
  });

  it('selectCoreset in Workers and in this thread: AbortError, every Worker stopped, no timer', () => {
    expect(core.report, core.stderr).toBeDefined();
    expect(core.report.workers).toMatchObject({ name: 'AbortError', live: 0, created: 2 });
    expect(core.report.workersTimers).toEqual([]);
    expect(core.report.here).toMatchObject({ name: 'AbortError', live: 0 });
    expect(core.report.timers).toEqual([]);
    expect(core.status).toBe(0);
  });

  it('train() between steps, train() inside its selection, and a selector with a tf source: AbortError, tensors back to the baseline', () => {
    expect(tf.report, tf.stderr).toBeDefined();
    const { steps, selection, selector, timers } = tf.report;
    expect(steps).toMatchObject({ name: 'AbortError', tensors: 0 });
    // the run's signal reaches the selection: it ends there, before a subset is chosen
    expect(selection).toMatchObject({ name: 'AbortError', tensors: 0, selections: 0, live: 0 });
    expect(selector).toMatchObject({ name: 'AbortError', tensors: 0, round: 0, live: 0 });
    expect(timers).toEqual([]);
    expect(tf.status).toBe(0);
  });
});

describe('a request beyond memoryBudget is refused up front, naming the memory it needs', () => {
  let run: ChildRun;
  beforeAll(() => {
    run = runChild(`${ROWS}
      const { selectCoreset, AdaCoreSelector } = await import(${JSON.stringify(CORE)});
      const n = 8000, dim = 16;
      const x = rowsOf(n, dim), labels = labelsOf(n, 4);
      const options = { dim, labels, budget: 200, threads: 2 };
      let progress = 0;
      const out = {};
      out.refused = { ...(await failure(selectCoreset(x, { ...options, memoryBudget: 2 ** 20, onProgress: () => progress++ }))) };
      out.refused.progress = progress;
      const need = Number(/needs about ([\\d.]+) MiB/.exec(out.refused.message)?.[1]);
      out.need = need;
      out.below = await failure(selectCoreset(x, { ...options, memoryBudget: Math.floor((need - 0.06) * 2 ** 20) }));
      const budget = Math.ceil((need + 0.05) * 2 ** 20);
      const fits = await selectCoreset(x, { ...options, memoryBudget: budget });
      out.fits = { plannedBytes: fits.plannedBytes, budget, picked: fits.indices.length };
      // AdaCore: refused before it reads a value (the NaN) or makes its preconditioned copy
      const gradients = rowsOf(n, dim);
      gradients[5 * dim + 3] = NaN;
      const batch = { gradients, hessianDiagonals: new Float32Array(n * dim).fill(0.5), rows: n, dim };
      out.adacore = await failure(new AdaCoreSelector({ memoryBudget: 2 ** 18 }).select(batch, { labels, budget: 200 }));
      out.adacoreWithout = await failure(new AdaCoreSelector({}).select(batch, { labels, budget: 200 }));
      report(out);
    `);
  });

  it('selectCoreset: an AdacoreError with the MiB it needs, before any Worker, progress report or work', () => {
    expect(run.report, run.stderr).toBeDefined();
    const { refused, need } = run.report;
    expect(refused).toMatchObject({ name: 'AdacoreError', argument: 'memoryBudget', progress: 0, created: 0 });
    expect(refused.message).toMatch(/needs about [\d.]+ MiB \(the 8000 x 16 input 0\.5 MiB, 2 ground sets at once [\d.]+ MiB\) but memoryBudget is 1\.0 MiB; .*a memoryBudget of at least [\d.]+ MiB/);
    expect(need).toBeGreaterThan(1);
    expect(refused.ms).toBeLessThan(1000);
  });

  it('the need it names is the real one: refused just below it, run just above it within the budget', () => {
    const { below, fits } = run.report;
    expect(below).toMatchObject({ name: 'AdacoreError', argument: 'memoryBudget' });
    expect(fits.picked).toBe(200);
    expect(fits.plannedBytes).toBeLessThanOrEqual(fits.budget);
  });

  it('an AdaCore round is refused before it reads the gradients (the NaN is never reached)', () => {
    expect(run.report.adacore).toMatchObject({ name: 'AdacoreError', argument: 'memoryBudget' });
    expect(run.report.adacoreWithout).toMatchObject({ name: 'AdacoreError', argument: 'gradients' });
  });
});

describe('CLI output that cannot be written: one line, a non-zero exit, nothing partial, an old file untouched', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'adacore-faults-'));
    const n = 600, d = 4;
    writeFileSync(join(dir, 'x.npy'), encodeNpy(Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.3)), [n, d]));
    writeFileSync(join(dir, 'y.npy'), encodeNpy(Int32Array.from({ length: n }, (_, i) => i % 3), [n]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The CLI in `dir`; `fileSizeKiB` caps the size of any file it writes (ulimit -f), as a full disk would. */
  const cli = (args: string[], fileSizeKiB?: number) => {
    const command = fileSizeKiB === undefined ? [process.execPath, BIN, ...args] : ['bash', '-c', `ulimit -f ${fileSizeKiB}; exec "$0" "$@"`, process.execPath, BIN, ...args];
    const r = spawnSync(command[0], command.slice(1), { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ADACORE_DEBUG: '' } });
    return { status: r.status, stderr: r.stderr };
  };
  const select = ['select', '--input', 'x.npy', '--labels', 'y.npy', '--budget', '30', '--quiet'];
  const prune = ['prune', '--input', 'x.npy', '--labels', 'y.npy', '--budget', '30', '--quiet'];
  const files = () => readdirSync(dir).sort();
  /** One line, no stack trace. */
  const oneLine = (stderr: string, pattern: RegExp) => {
    expect(stderr.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(pattern)]);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  // a link to /dev/full first: a CLI that replaced its output by renaming a temporary file over
  // it would replace the link here, and /dev/full itself (as root) in the next test
  let writesThrough = false;
  it.skipIf(!existsSync('/dev/full'))('select --out a link to /dev/full: ENOSPC; the link is written through, not replaced', () => {
    symlinkSync('/dev/full', join(dir, 'full.json'));
    const r = cli([...select, '--out', 'full.json']);
    expect(r.status).toBe(1);
    oneLine(r.stderr, /^adacore: --out: cannot write full.json: no space left on device \(ENOSPC\)$/);
    expect(lstatSync(join(dir, 'full.json')).isSymbolicLink()).toBe(true);
    writesThrough = true;
  });

  it.skipIf(!existsSync('/dev/full'))('select --out /dev/full: ENOSPC; the device is written to, never replaced', () => {
    expect(writesThrough, 'not run: the CLI did not write through a link to /dev/full, and would replace the device').toBe(true);
    const r = cli([...select, '--out', '/dev/full']);
    expect(r.status).toBe(1);
    oneLine(r.stderr, /^adacore: --out: cannot write \/dev\/full: no space left on device \(ENOSPC\)$/);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((name) => name.startsWith('.full.'))).toEqual([]);
  });

  it('select, disk full while writing (a file-size limit): the old output is untouched and no temporary file is left', () => {
    writeFileSync(join(dir, 'out.json'), 'old\n');
    const before = files();
    const r = cli([...select, '--out', 'out.json'], 1);
    expect(r.status).toBe(1);
    oneLine(r.stderr, /^adacore: --out: cannot write out.json: file too large \(EFBIG\)$/);
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('old\n');
    expect(files()).toEqual(before);
    // the same command without the limit writes it (the JSON is over 1 KiB)
    expect(cli([...select, '--out', 'out.json']).status).toBe(0);
    expect(statSync(join(dir, 'out.json')).size).toBeGreaterThan(1024);
  });

  it.skipIf(!existsSync('/dev/full'))('prune with --out a link to /dev/full: ENOSPC, and an existing --indices-out (with --force) is untouched', () => {
    symlinkSync('/dev/full', join(dir, 'full.npy'));
    writeFileSync(join(dir, 'i.npy'), 'keep');
    const before = files();
    const r = cli([...prune, '--out', 'full.npy', '--indices-out', 'i.npy', '--force']);
    expect(r.status).toBe(1);
    oneLine(r.stderr, /^adacore: --out: cannot write full.npy: no space left on device \(ENOSPC\)$/);
    expect(readFileSync(join(dir, 'i.npy'), 'utf8')).toBe('keep');
    expect(lstatSync(join(dir, 'full.npy')).isSymbolicLink()).toBe(true);
    expect(files()).toEqual(before);
  });

  it('prune, disk full while writing: none of its files appears', () => {
    const before = files();
    // 300 kept rows: 4.8 kB of .npy, over the 1 KiB limit
    const r = cli([...prune.slice(0, -2), '300', '--quiet', '--out', 'kept.npy', '--weights-out', 'w.npy'], 1);
    expect(r.status).toBe(1);
    oneLine(r.stderr, /^adacore: --out: cannot write kept.npy: file too large \(EFBIG\)$/);
    expect(files()).toEqual(before);
  });

  // root writes through file modes, so a chmod-ed folder blocks nothing in these tests: /sys and
  // /proc refuse new files to root too
  it.each([
    ['a folder that takes no new file (/sys)', '/sys/adacore-out.json', /^adacore: --out: cannot write \/sys\/adacore-out.json: .*\(E[A-Z]+; no file can be created in \/sys\)$/],
    ['a folder that takes no new file (/proc)', '/proc/adacore-out.json', /^adacore: --out: cannot write \/proc\/adacore-out.json: .*\(E[A-Z]+; no file can be created in \/proc\)$/],
    ['a file where a folder is expected', 'x.npy/out.json', /^adacore: --out: cannot write x.npy\/out.json: x.npy is not a folder$/],
    ['a folder that does not exist', 'nowhere/out.json', /^adacore: --out: cannot write nowhere\/out.json: the folder nowhere does not exist$/],
  ])('select --out into %s: refused in one line', (_, out, pattern) => {
    const before = files();
    const r = cli([...select, '--out', out]);
    expect(r.status).toBe(1);
    oneLine(r.stderr, pattern);
    expect(existsSync(out.startsWith('/') ? out : join(dir, out))).toBe(false);
    expect(files()).toEqual(before);
  });

  it('select beyond --max-memory: refused before any work, naming the MiB it needs; no output', () => {
    const r = cli([...select, '--out', 'm.json', '--max-memory', '64k']);
    expect(r.status).toBe(1);
    oneLine(r.stderr, /^adacore: --max-memory: the selection needs about [\d.]+ MiB .* but --max-memory is 0\.1 MiB/);
    expect(existsSync(join(dir, 'm.json'))).toBe(false);
  });
});
