// Memory stays flat over many rounds and epochs: bench/long-run.mjs, shortened, on the committed
// Fashion-MNIST slice (30 AdaCore rounds with a tfjs lastLayer source, then 8 epochs of train()
// re-selecting every epoch; and 30 rounds on two Worker threads). It runs as a child process
// because it needs --expose-gc. The tolerances catch a real leak: one tensor left per round
// fails the tensor check, one batch's arrays kept per round (2,000 x 330 floats, twice) fails the
// ArrayBuffer check, an arena or kernel instance kept per round fails the wasm check
// (docs/reliability.md, "Long runs", says how each was tried). Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Trend { firstTenth: number; end: number; growth: number; slopePerUnit: number; peakGrowth: number; tolerance: number; verdict: string }
interface Phase { trends: Record<string, Trend>; tensorsLeftAfterDispose?: number; tensorsLeftAfterRun?: number; checkpoints: { at: number; osThreads: number | null }[] }

function longRun(args: string[]): { selection: Phase | null; training: Phase | null; verdict: string } {
  const r = spawnSync(process.execPath, ['--expose-gc', 'bench/long-run.mjs', '--slice', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const MiB = 1 << 20;

function expectFlat(phase: Phase, what: string, { workers = false } = {}): void {
  const t = phase.trends;
  // tensors: not one more, in count or bytes
  expect(t.numTensors.growth, `${what}: tensors`).toBe(0);
  expect(t.tensorBytes.growth, `${what}: tensor bytes`).toBe(0);
  // the kernels' and tfjs's wasm memories: every round has the same sizes, so not one page more
  if (!workers) {
    expect(t.kernelWasmBytes.growth, `${what}: kernel wasm memory`).toBe(0);
    expect(t.kernelInstances.growth, `${what}: kernel instances`).toBe(0);
  }
  expect(t.tfWasmBytes.growth, `${what}: tfjs wasm heap`).toBe(0);
  // the JS heap after a full GC drifts by a few hundred KB (compiled code); a kept batch is MBs
  expect(t.heapUsed.growth, `${what}: JS heap`).toBeLessThan(MiB);
  // with Workers, the rows sent to them wait for the Workers' own collections: a sawtooth of a
  // few rounds' worth (bench/long-run.mjs allows four), judged by its peaks, not its last value
  if (workers) expect(t.arrayBuffers.peakGrowth, `${what}: ArrayBuffers' peak`).toBeLessThan(t.arrayBuffers.tolerance);
  else expect(t.arrayBuffers.growth, `${what}: ArrayBuffers`).toBeLessThan(MiB);
  if (t.osThreads) expect(t.osThreads.growth, `${what}: OS threads (Workers)`).toBe(0);
  for (const [key, trend] of Object.entries(t)) expect(trend.verdict, `${what}: ${key}`).toBe('flat');
}

describe('long runs: flat memory', () => {
  it('30 AdaCore rounds (tfjs lastLayer source) and 8 train() epochs re-selecting every epoch leave tensors, wasm memory and heap flat', () => {
    const run = longRun(['--rounds', '30', '--epochs', '8']);
    expect(run.selection!.checkpoints.length).toBeGreaterThanOrEqual(30);
    expectFlat(run.selection!, 'selection rounds');
    expect(run.selection!.tensorsLeftAfterDispose).toBe(0);
    expectFlat(run.training!, 'training epochs');
    expect(run.training!.tensorsLeftAfterRun).toBe(0);
    expect(run.verdict).toBe('flat');
  });

  it('30 rounds on two Worker threads: no Worker, tensor or heap growth', () => {
    const run = longRun(['--rounds', '30', '--epochs', '0', '--threads', '2']);
    // the kernels run in the Workers, whose memories this thread cannot see
    expectFlat(run.selection!, 'two threads', { workers: true });
    // and they did run there: two more threads than before the first round
    expect(run.selection!.trends.osThreads.firstTenth).toBeGreaterThanOrEqual(run.selection!.checkpoints[0].osThreads! + 2);
  });
});
