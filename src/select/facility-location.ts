// Runs facility-location greedy on one ground set with the WebAssembly kernels.
import { Arena, formatBytes } from '../kernels/arena.js';
import type { KernelExports } from '../kernels/wasm.js';
import type { PackedPoints } from './ground-set.js';
import { METRIC_CODE, stochasticSampleSize, type Progress, type ResolvedOptions } from './options.js';
import type { Pacer } from './pacer.js';

/** The selection options that reach one ground set (its class's seed already derived). */
export type GroundSetConfig = Omit<ResolvedOptions, 'signal' | 'onProgress'> & {
  /** Internal, for tests: force the dense path's row compaction on or off (default: by size, see COMPACTION_ABOVE_BYTES). */
  compaction?: boolean;
};

export interface GroundSetSelection {
  /** Picks as positions in `members`, in greedy order. */
  picks: Int32Array;
  /** Marginal gain of each pick in the similarity form C - d. */
  gains: Float64Array;
  /** For each member, the position (in `members`) of its nearest pick. */
  nearest: Int32Array;
  /** For each member, the distance to that pick. */
  distances: Float32Array;
  /** sum over members of the distance to the nearest pick. */
  cost: number;
  path: 'dense' | 'tiled';
  evaluations: number;
}

/** What a merge round (the partitioned optimizer) changes about a ground set. */
export interface GroundSetExtras {
  /** One weight per member: the gains become sum_i w_i max(0, minDist_i - d(i, c)). */
  weights?: Float32Array;
  /**
   * Points outside the ground set to assign to their nearest pick after the greedy, each with
   * an owner (a member) and its distance to it, sorted by owner (see assignThroughOwners in
   * assembly/greedy.ts).
   * Not for cosine (not a metric: no triangle inequality); `outside` in the result says if it was done.
   */
  outside?: { points: PackedPoints; owners: Int32Array; radii: Float32Array };
}

/** For each outside point, the rank (in picks) of its nearest pick and the distance to it. */
export interface OutsideAssignment { pick: Int32Array; distance: Float32Array }

/** Progress fields that the caller fills in (the class and overall counts). */
export type ProgressFrame = (phase: Progress['phase'], done: number, total: number, picked: number) => Progress;

/** Members are the rows of `points` (packGroundSet); picks and nearest are positions in them. */
export async function selectGroundSet(
  kernels: KernelExports, points: PackedPoints, budget: number,
  config: GroundSetConfig, pacer: Pacer, frame: ProgressFrame, extras: GroundSetExtras = {},
): Promise<GroundSetSelection & { outside?: OutsideAssignment }> {
  const { count: n, width } = points;
  const arena = new Arena(kernels);
  // rows and norms are padded to a multiple of 4 with zeros for the packed dense build
  const paddedRows = Math.ceil(n / 4) * 4;
  const pointsAt = arena.alloc(paddedRows * width * 4, `the ${n} x ${width} float32 points`);
  arena.f32(pointsAt, n * width).set(points.data);
  const normsAt = arena.alloc(paddedRows * 4, 'norms');
  arena.f32(normsAt, paddedRows).fill(0);
  kernels.squaredNorms(pointsAt, n, width, normsAt);

  const denseBytes = n * n * 4;
  const path = denseBytes <= config.memoryBudget ? 'dense' : 'tiled';
  const denseAt = path === 'dense' ? arena.alloc(denseBytes, `the dense ${n} x ${n} distance block (${formatBytes(denseBytes)})`) : 0;
  const scratchAt = arena.alloc(kernels.scratchBytes(n, width, path === 'tiled' ? 1 : 0), 'greedy state');
  const metricCode = METRIC_CODE[config.metric];

  if (path === 'dense') {
    const packedAt = arena.alloc(paddedRows * width * 4, 'the interleaved points');
    kernels.interleaveRows(pointsAt, n, width, packedAt);
    const tile = kernels.TILE.value as number;
    const tiles = Math.ceil(n / tile);
    // tile row t costs (tiles - t) tiles: take slices of about 4 full tile rows
    for (let t = 0; t < tiles;) {
      let work = 0, end = t;
      while (end < tiles && work < 4 * tiles) work += tiles - end++;
      kernels.denseDistanceRows(packedAt, normsAt, n, width, denseAt, metricCode, t, end);
      t = end;
      await pacer.tick(() => frame('distances', t, tiles, 0));
    }
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
  // step() does one slice of work toward the next pick: the pick, or -2 when there is more
  let step: () => number;
  if (config.optimizer === 'lazy') {
    for (let first = 0; first < n; first += slice) {
      kernels.lazyInitRange(first, Math.min(n, first + slice));
      await pacer.tick(() => frame('bounds', Math.min(n, first + slice), n, 0));
    }
    kernels.lazyHeapify();
    step = () => kernels.lazyPick(slice);
  } else {
    const sample = stochasticSampleSize(n, budget, config.epsilon, config.sampleSize);
    const draw = config.optimizer === 'stochastic' ? () => kernels.stochasticCandidates(sample) : () => kernels.naiveCandidates();
    let drawn = -1; // candidates drawn for the pick in progress, or -1
    let first = 0;
    step = () => {
      if (drawn < 0) { drawn = draw(); first = 0; }
      kernels.evaluateCandidates(first, Math.min(drawn, first + slice));
      first += slice;
      if (first < drawn) return -2;
      const count = drawn;
      drawn = -1;
      return kernels.acceptBest(count);
    };
  }

  const compaction = path === 'dense' && (config.compaction ?? denseBytes > COMPACTION_ABOVE_BYTES) ? new Compaction(kernels, arena, n, config.optimizer === 'lazy') : undefined;
  const picks = new Int32Array(budget);
  const gains = new Float64Array(budget);
  for (let p = 0; p < budget; p++) {
    let c: number;
    while ((c = step()) === -2) if (pacer.due()) await pacer.tick(greedyFrame(p));
    picks[p] = c;
    gains[p] = kernels.lastGain();
    compaction?.afterPick();
    if (pacer.due()) await pacer.tick(greedyFrame(p + 1));
  }

  const outside = extras.outside !== undefined && config.metric !== 'cosine'
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
 * Compaction pays only when re-reading dense rows is what the greedy waits on: a block of a
 * few MiB stays in cache, and there it cost more than it saved (measured on the 500- and
 * 1,800-point blocks of the partitioned optimizer: 0.55 s without, 0.73 s with).
 */
const COMPACTION_ABOVE_BYTES = 16 * 1024 * 1024;

/**
 * When to shrink the dense rows to the entries that can still matter (compactRows in
 * assembly/greedy.ts). A compaction costs one read of the current rows. The first waits for
 * 2n dense gain evaluations (two matrices' worth of rows: earlier, so many entries survive that
 * it costs more than it saves; measured at n = 6000); later ones wait until the evaluations
 * since the last have read about as much as the sparse structure holds (n of them). Entries take 8 bytes, and at most
 * n^2 / 8 of them are kept (a quarter of the dense block's bytes); a compaction that would need
 * more is retried later, when fewer entries are left.
 */
class Compaction {
  private readonly capacity: number;
  private startsAt = 0;
  private indicesAt = 0;
  private distancesAt = 0;
  private evaluationsAtLast: number;
  private threshold: number;

  constructor(private readonly kernels: KernelExports, private readonly arena: Arena, private readonly n: number, private readonly lazy: boolean) {
    this.capacity = Math.max(1024, Math.floor((n * n) / 8));
    this.evaluationsAtLast = kernels.evaluationCount();
    this.threshold = 2 * n;
  }

  afterPick(): void {
    const evaluations = this.kernels.evaluationCount();
    if (evaluations - this.evaluationsAtLast < this.threshold) return;
    if (this.startsAt === 0) {
      this.startsAt = this.arena.alloc((this.n + 1) * 4, 'sparse row starts');
      this.indicesAt = this.arena.alloc(this.capacity * 4, 'sparse row entries');
      this.distancesAt = this.arena.alloc(this.capacity * 4, 'sparse row entries');
    }
    const kept = this.kernels.compactRows(this.startsAt, this.indicesAt, this.distancesAt, this.capacity);
    if (kept >= 0) {
      this.threshold = this.n;
      if (this.lazy) this.kernels.lazyRefresh();
    }
    this.evaluationsAtLast = this.kernels.evaluationCount();
  }
}
