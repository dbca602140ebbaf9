// The first round of the part-based optimizers (partitioned, spatial, proportional): lazy
// greedy on each part with the ground set's C, here one part after the other, or in Workers
// when the ground set has threads of its own (InnerParallel). Results are the same either way.
import type { KernelExports } from '../kernels/wasm.js';
import { gatherPoints, type PackedPoints } from '../select/ground-set.js';
import type { Pacer } from '../select/pacer.js';
import type { ProgressFrame } from '../select/progress.js';
import { runGreedy } from './greedy-run.js';
import { lazyPicks } from './lazy.js';
import type { GroundSetConfig, InnerParallel, PartResult } from './types.js';

export async function runParts(
  kernels: KernelExports, points: PackedPoints, parts: Int32Array[], budgets: number[],
  config: GroundSetConfig, pacer: Pacer, frame: ProgressFrame, parallel: InnerParallel | undefined,
): Promise<PartResult[]> {
  if (parallel !== undefined && parallel.threads > 1 && parts.length > 1) {
    pacer.throwIfAborted();
    const results = await parallel.parts(points, parts, budgets, config);
    await pacer.tick(() => frame('partitions', parts.length, parts.length, 0));
    return results;
  }
  const results: PartResult[] = [];
  for (let j = 0; j < parts.length; j++) {
    results.push(await runGreedy(kernels, gatherPoints(points, parts[j]), budgets[j], config, pacer, () => frame('partitions', j, parts.length, 0), lazyPicks));
  }
  return results;
}
