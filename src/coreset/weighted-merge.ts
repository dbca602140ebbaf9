// The merge round of a two-round selection: a budget chosen from the union of several parts'
// picks, each pick weighted by the rows it stood for in its part (its cluster size). 'dense' runs
// weighted lazy greedy on the whole union; 'spatial' splits the union into parts of nearby
// points (a random-projection tree) and runs it on each, with budgets in proportion to the rows
// the parts stand for. Spatial is for unions whose dense block does not fit blockMemory. Unlike
// exact shares of the first round's parts, it does not keep the same region once per part when
// the parts repeat each other (hash partitions, or runs of consecutive rows of redundant data).
// Shared by the partition steps (partition-steps.ts) and the out-of-core stream (stream.ts).
import type { KernelExports } from '../kernels/wasm.js';
import { AUTO_PART_SIZE } from '../optimizers/auto.js';
import { runGreedy } from '../optimizers/greedy-run.js';
import { lazyPicks } from '../optimizers/lazy.js';
import type { GroundSetConfig } from '../optimizers/types.js';
import { gatherPoints, type PackedPoints } from '../select/ground-set.js';
import type { Pacer } from '../select/pacer.js';
import { spatialParts } from '../select/parts.js';
import type { ProgressFrame } from '../select/progress.js';

export type WeightedMergeKind = 'dense' | 'spatial';

export interface WeightedUnion {
  /** The union's rows, packed (positions 0..count-1). */
  points: PackedPoints;
  /** Each row's weight: the rows it stood for in its part. */
  weights: ArrayLike<number>;
  /** Each row's index in the caller's data: the tie rule (the lower row first). */
  rowOf: (t: number) => number;
}

/**
 * `budget` positions of the union, highest gain first (one dense part: the greedy's own order),
 * with their gains. `partSize` bounds the spatial parts (and so each kernel arena).
 */
export async function mergeWeighted(
  kernels: KernelExports, union: WeightedUnion, budget: number, kind: WeightedMergeKind,
  config: GroundSetConfig, pacer: Pacer, frame: ProgressFrame, seed: number, partSize = AUTO_PART_SIZE,
): Promise<{ order: number[]; gains: number[]; evaluations: number }> {
  const { points, weights, rowOf } = union;
  const all = Int32Array.from({ length: points.count }, (_, t) => t);
  const parts = kind === 'dense' ? [all] : spatialParts(points.data, points.width, points.count, partSize, seed);
  const shares = sharesByWeight(parts.map((part) => part.reduce((sum, t) => sum + weights[t], 0)), parts.map((part) => part.length), budget);
  const picked: { t: number; gain: number }[] = [];
  let evaluations = 0;
  for (let j = 0; j < parts.length; j++) {
    if (shares[j] === 0) continue;
    const part = parts[j];
    const run = await runGreedy(kernels, gatherPoints(points, part), shares[j], config, pacer, frame, lazyPicks, { weights: Float32Array.from(part, (t) => weights[t]) });
    run.picks.forEach((p, r) => picked.push({ t: part[p], gain: run.gains[r] }));
    evaluations += run.evaluations;
  }
  // one part: its greedy order; several: highest gain first, the lower row on ties
  if (parts.length > 1) picked.sort((a, b) => b.gain - a.gain || rowOf(a.t) - rowOf(b.t));
  return { order: picked.map((p) => p.t), gains: picked.map((p) => p.gain), evaluations };
}

/**
 * `budget` split over parts in proportion to the rows they stand for (their weights), each
 * part at most its own row count: floors, then one each by largest remainder (the earlier part
 * on ties), then whatever the caps left to the parts with room, in order.
 */
export function sharesByWeight(weights: number[], counts: number[], budget: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w, j) => Math.min(counts[j], Math.floor((budget * w) / total)));
  let left = budget - shares.reduce((a, b) => a + b, 0);
  const byRemainder = weights.map((_, j) => j).sort((a, b) => ((budget * weights[b]) % total) - ((budget * weights[a]) % total) || a - b);
  for (const j of byRemainder) if (left > 0 && shares[j] < counts[j]) { shares[j]++; left--; }
  for (let j = 0; j < shares.length && left > 0; j++) { const room = Math.min(left, counts[j] - shares[j]); shares[j] += room; left -= room; }
  return shares;
}
