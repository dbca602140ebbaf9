// One greedy run on one ground set with the WebAssembly kernels: builds the dense distance
// block when it fits the memory budget (dense-build.ts, shared with Workers for one large
// ground set; else the kernels compute distances tile by tile), then lets a PickStrategy
// (lazy, naive, stochastic) choose each pick, in slices paced for progress and aborts. Every
// optimizer ends in here.
import { Arena, formatBytes } from '../kernels/arena.js';
import type { KernelExports } from '../kernels/wasm.js';
import type { PackedPoints } from '../select/ground-set.js';
import { metricDescriptor } from '../select/metric.js';
import type { Pacer } from '../select/pacer.js';
import type { ProgressFrame } from '../select/progress.js';
import type { GroundSetSelection } from '../select/selection.js';
import { Compaction, COMPACTION_ABOVE_BYTES } from './compaction.js';
import { buildDense, interleaved, packPoints } from './dense-build.js';
import type { GroundSetConfig, InnerParallel } from './types.js';

/** What step() returns while the pick in progress needs more slices. */
export const MORE = -2;

/** How an optimizer chooses each pick once the kernels hold the ground set. */
export interface PickStrategy {
  /** Whether it keeps upper bounds that a row compaction must refresh (lazy greedy). */
  readonly keepsBounds: boolean;
  /**
   * Prepare the kernels' picking state (in slices of about `slice` points, ticking the pacer),
   * then return step(): one slice of work toward the next pick, returning the pick or MORE.
   */
  start(run: { kernels: KernelExports; n: number; budget: number; config: GroundSetConfig; slice: number; pacer: Pacer; frame: ProgressFrame }): Promise<() => number>;
}

/** What a merge round (the partitioned optimizer) changes about a ground set. */
export interface GroundSetExtras {
  /** One weight per member: the gains become sum_i w_i max(0, minDist_i - d(i, c)). */
  weights?: Float32Array;
  /**
   * Points outside the ground set to assign to their nearest pick after the greedy, each with
   * an owner (a member) and its distance to it, sorted by owner (see assignThroughOwners in
   * the kernels). Only where the metric's descriptor allows it (assignsThroughOwners: not
   * cosine); `outside` in the result says if it was done.
   */
  outside?: { points: PackedPoints; owners: Int32Array; radii: Float32Array };
}

/** For each outside point, the rank (in picks) of its nearest pick and the distance to it. */
export interface OutsideAssignment { pick: Int32Array; distance: Float32Array }

/**
 * Members are the rows of `points` (packGroundSet); picks and nearest are positions in them.
 * With `parallel`, a large dense block is built on its threads too (dense-build.ts): the same block.
 */
export async function runGreedy(
  kernels: KernelExports, points: PackedPoints, budget: number, config: GroundSetConfig,
  pacer: Pacer, frame: ProgressFrame, strategy: PickStrategy, extras: GroundSetExtras = {}, parallel?: InnerParallel,
): Promise<GroundSetSelection & { outside?: OutsideAssignment }> {
  const { count: n, width } = points;
  const arena = new Arena(kernels);
  const { pointsAt, normsAt } = packPoints(kernels, arena, points);

  const denseBytes = n * n * 4;
  const path = denseBytes <= config.blockMemory ? 'dense' : 'tiled';
  const denseAt = path === 'dense' ? arena.alloc(denseBytes, `the dense ${n} x ${n} distance block (${formatBytes(denseBytes)})`) : 0;
  const scratchAt = arena.alloc(kernels.scratchBytes(n, width, path === 'tiled' ? 1 : 0), 'greedy state');
  const metric = metricDescriptor(config.metric);
  const metricCode = metric.code;

  if (path === 'dense') {
    const packedAt = interleaved(kernels, arena, pointsAt, n, width);
    await buildDense({ kernels, arena, points, packedAt, normsAt, denseAt, metric: config.metric, pacer, frame }, parallel);
  }

  kernels.configure(n, width, metricCode, pointsAt, normsAt, denseAt, scratchAt);
  if (extras.weights !== undefined) {
    const weightsAt = arena.alloc(n * 4, 'point weights');
    arena.f32(weightsAt, n).set(extras.weights);
    kernels.setWeights(weightsAt);
  }
  kernels.reset(Math.fround(points.emptyDistance), config.seed);

  // Work is handed to the kernels in slices of about a millisecond or more, with the
  // pacer between them: distances on the tiled path cost n * d per evaluation.
  const slice = path === 'dense' ? 4096 : 64;
  const greedyFrame = (picked: number) => () => frame('greedy', picked, budget, picked);
  const step = await strategy.start({ kernels, n, budget, config, slice, pacer, frame });
  const compaction = path === 'dense' && (config.compaction ?? denseBytes > COMPACTION_ABOVE_BYTES)
    ? new Compaction(kernels, arena, n, strategy.keepsBounds) : undefined;
  const picks = new Int32Array(budget);
  const gains = new Float64Array(budget);
  for (let p = 0; p < budget; p++) {
    let c: number;
    while ((c = step()) === MORE) if (pacer.due()) await pacer.tick(greedyFrame(p));
    picks[p] = c;
    gains[p] = kernels.lastGain();
    compaction?.afterPick();
    if (pacer.due()) await pacer.tick(greedyFrame(p + 1));
  }

  const outside = extras.outside !== undefined && metric.assignsThroughOwners
    ? assignOutside(kernels, arena, extras.outside, picks) : undefined;
  const nearest = arena.i32(kernels.nearestPtr(), n).slice();
  const distances = arena.f32(kernels.minDistPtr(), n).slice();
  let cost = 0;
  for (let i = 0; i < n; i++) cost += distances[i];
  return { picks, gains, nearest, distances, cost, path, evaluations: kernels.evaluationCount(), outside };
}

/** GroundSetExtras.outside, while the greedy's state (its points and minDist) is still in place. */
function assignOutside(
  kernels: KernelExports, arena: Arena, { points, owners, radii }: NonNullable<GroundSetExtras['outside']>, picks: Int32Array,
): OutsideAssignment {
  const count = points.count;
  const outsideAt = arena.alloc(Math.max(1, count * points.width) * 4, `the ${count} points to assign`);
  const ownersAt = arena.alloc(Math.max(1, count) * 4, 'their owners');
  const radiiAt = arena.alloc(Math.max(1, count) * 4, 'their distances to the owners');
  const k = picks.length;
  const picksAt = arena.alloc(Math.max(1, k) * 4, 'the picks');
  // the pick rows, then those near one owner (rows, squared distances, ranks), padded to fours
  const padded = (k + 3) & ~3;
  const foundAt = arena.alloc(Math.max(4, padded) * (2 * points.width * 4 + 8), 'picks near an owner');
  const pickAt = arena.alloc(Math.max(1, count) * 4, 'nearest picks');
  const distanceAt = arena.alloc(Math.max(1, count) * 4, 'distances to the nearest picks');
  arena.f32(outsideAt, count * points.width).set(points.data);
  arena.i32(ownersAt, count).set(owners);
  arena.f32(radiiAt, count).set(radii);
  arena.i32(picksAt, k).set(picks);
  kernels.assignThroughOwners(outsideAt, count, ownersAt, radiiAt, picksAt, k, foundAt, pickAt, distanceAt);
  return { pick: arena.i32(pickAt, count).slice(), distance: arena.f32(distanceAt, count).slice() };
}

/**
 * Each outside point's nearest pick among `picks` (every pick a chosen point: the proportional
 * optimizer), through its owner, a pick at distance `radii` from it: the kernels' owner
 * assignment with the picks as the ground set and every pick at distance 0 from itself, so
 * only the picks within twice a point's radius of its owner need a distance to the point.
 */
export function assignThroughPicks(kernels: KernelExports, picks: PackedPoints, outside: NonNullable<GroundSetExtras['outside']>, metric: GroundSetConfig['metric']): OutsideAssignment {
  const k = picks.count, width = picks.width;
  const arena = new Arena(kernels);
  const { pointsAt, normsAt } = packPoints(kernels, arena, picks);
  const scratchAt = arena.alloc(kernels.scratchBytes(k, width, 1), 'assignment state');
  kernels.configure(k, width, metricDescriptor(metric).code, pointsAt, normsAt, 0, scratchAt);
  kernels.reset(Math.fround(picks.emptyDistance), 0);
  arena.f32(kernels.minDistPtr(), k).fill(0); // every pick is its own nearest pick
  return assignOutside(kernels, arena, outside, Int32Array.from({ length: k }, (_, j) => j));
}
