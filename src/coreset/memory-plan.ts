// The whole selection's memory, planned before any work: the caller's rows, and for each ground
// set selecting at once (one, or one per Worker) its copy for the Worker, its packed rows, the
// kernels' arena (points, norms, the dense block or the tiled scratch, the greedy's state) and
// the result arrays. `optimizer: 'auto'` is resolved here from each ground set's size and the
// budgets (src/optimizers/auto.ts). A plan over `memoryBudget` is refused
// with what it needs and what would make it fit.
import { AdacoreError } from '../errors.js';
import { paddedWidth } from '../kernels/wasm.js';
import { autoOptimizer } from '../optimizers/auto.js';
import { DENSE_TILE as TILE, denseBuildThreads, sharedBuildBytes } from '../optimizers/dense-build.js';
import { sharedBuffersAvailable } from '../parallel/shared-buffers.js';
import type { Optimizer } from '../optimizers/registry.js';
import type { ResolvedOptions } from '../options/select.js';
import type { Ground } from '../select/classes.js';
import { partBudgets } from '../select/parts.js';
import type { Rows } from '../select/vectors.js';

export interface MemoryPlan {
  /** The optimizer of each ground set ('auto' resolved). */
  optimizers: Optimizer[];
  /** The part size of each ground set (auto's large-n paths take larger parts). */
  partitionSizes: number[];
  /** The largest dense block each ground set may build: blockMemory, lowered to fit memoryBudget. */
  blockMemory: number;
  /** Threads the one ground set's dense block is built on (its exact greedy's block shared with Workers), else 1. */
  denseThreads: number;
  /** Peak bytes: the rows, plus the ground sets that select at once. */
  bytes: number;
  /** The caller's rows. */
  inputBytes: number;
}

/** Bytes one ground set of n rows (w floats each, packed) needs while it selects. */
export function groundSetBytes(n: number, dim: number, budget: number, optimizer: Optimizer, config: Pick<ResolvedOptions, 'blockMemory' | 'partitionSize' | 'oversampling'>, inWorker: boolean): number {
  const w = paddedWidth(dim);
  const greedy = (m: number) => {
    const dense = m * m * 4 <= config.blockMemory;
    // points and norms, the interleaved copy (dense), the block, the greedy's state (tiled: a tile of distances per point)
    return m * w * 4 + m * 4 + (dense ? m * w * 4 + m * m * 4 : TILE * m * 4) + 48 * m + TILE * w * 4;
  };
  const copy = inWorker ? n * dim * 8 + n * 4 : 0; // the task's rows (at most float64) and members
  const packed = n * w * 4;
  const results = n * 12; // nearest, distances, and the owners' arrays of the partitioned paths
  let work: number;
  if (optimizer === 'partitioned' || optimizer === 'spatial' || optimizer === 'proportional') {
    const part = Math.min(n, config.partitionSize);
    const parts = Math.ceil(n / config.partitionSize);
    const sizes = Array.from({ length: parts }, () => part);
    const union = optimizer !== 'proportional' ? partBudgets(sizes, n, budget, config.oversampling).reduce((a, b) => a + b, 0) : budget;
    // a part's gathered rows and greedy, then the union's (merge round, or the owner assignment) with the rest gathered
    work = Math.max(part * w * 4 + greedy(part), union * w * 4 + greedy(union) + (n - union) * (w * 4 + 12));
  } else work = greedy(n);
  return copy + packed + results + work;
}

/** The optimizers whose dense block can be shared with Workers (dense-build.ts). */
const EXACT = new Set<Optimizer>(['lazy', 'naive', 'stochastic']);

/**
 * The plan of a selection: each ground set's optimizer, and the peak memory with `threads`
 * ground sets at once (the largest ones). Throws, before any work, when it exceeds memoryBudget.
 * `innerThreads` (> 1: one ground set, with Workers) lets an exact optimizer's dense build take
 * the threads, where memoryBudget holds the Workers' bands too; else it is built here alone.
 */
export function planMemory(rows: Rows, grounds: Ground[], config: ResolvedOptions, threads: number, innerThreads = 1): MemoryPlan {
  const plan = planOneThreadBuilds(rows, grounds, config, threads);
  if (innerThreads <= 1 || grounds.length !== 1 || !EXACT.has(plan.optimizers[0])) return plan;
  const n = grounds[0].members.length;
  if (n * n * 4 > plan.blockMemory) return plan;
  const denseThreads = denseBuildThreads(n, paddedWidth(rows.dim), innerThreads, sharedBuffersAvailable());
  if (denseThreads <= 1) return plan;
  const bytes = plan.bytes + sharedBuildBytes(n, paddedWidth(rows.dim), denseThreads);
  return config.memoryBudget !== undefined && bytes > config.memoryBudget ? plan : { ...plan, denseThreads, bytes };
}

function planOneThreadBuilds(rows: Rows, grounds: Ground[], config: ResolvedOptions, threads: number): MemoryPlan {
  const inputBytes = rows.data.byteLength;
  const budgetBytes = config.memoryBudget;
  const choicesFor = (blockMemory: number) => grounds.map((g) => (config.optimizer === 'auto'
    ? autoOptimizer(g.members.length, g.budget, { ...config, blockMemory })
    : { optimizer: config.optimizer as Optimizer, partitionSize: config.partitionSize }));
  const optimizersFor = (blockMemory: number) => choicesFor(blockMemory).map((c) => c.optimizer);
  const partitionSizes = choicesFor(config.blockMemory).map((c) => c.partitionSize);
  const peak = (blockMemory: number, optimizers: Optimizer[], at: number) => {
    const sizes = grounds.map((g, c) => groundSetBytes(g.members.length, rows.dim, g.budget, optimizers[c], { ...config, blockMemory, partitionSize: partitionSizes[c] }, at > 1));
    return inputBytes + sizes.sort((a, b) => b - a).slice(0, at).reduce((a, b) => a + b, 0);
  };
  let blockMemory = config.blockMemory;
  let optimizers = optimizersFor(blockMemory);
  let bytes = peak(blockMemory, optimizers, threads);
  if (budgetBytes === undefined || bytes <= budgetBytes) return { optimizers, partitionSizes, blockMemory, bytes, inputBytes, denseThreads: 1 };
  // within the budget, the dense block gives way first (the tiled path computes distances as it goes)
  const tiledOptimizers = optimizersFor(0);
  const tiledBytes = peak(0, tiledOptimizers, threads);
  if (tiledBytes <= budgetBytes) {
    // the largest block that still fits, for every ground set
    let low = 0, high = blockMemory;
    while (high - low > 1 << 20) {
      const mid = Math.floor((low + high) / 2);
      if (peak(mid, optimizersFor(mid), threads) <= budgetBytes) low = mid; else high = mid;
    }
    blockMemory = low;
    optimizers = optimizersFor(blockMemory);
    bytes = peak(blockMemory, optimizers, threads);
    return { optimizers, partitionSizes, blockMemory, bytes, inputBytes, denseThreads: 1 };
  }
  const hints: string[] = [];
  if (threads > 1 && peak(0, tiledOptimizers, 1) <= budgetBytes) hints.push(`threads: 1 needs ${mib(peak(0, tiledOptimizers, 1))}`);
  if (config.optimizer !== 'proportional') {
    const proportional = grounds.map(() => 'proportional' as Optimizer);
    const small = peak(0, proportional, 1);
    if (small < tiledBytes) hints.push(`optimizer 'proportional' with threads: 1 needs ${mib(small)}`);
  }
  hints.push(`a memoryBudget of at least ${mib(tiledBytes)}`);
  throw new AdacoreError('memoryBudget',
    `the selection needs about ${mib(tiledBytes)} (the ${rows.count} x ${rows.dim} input ${mib(inputBytes)}, `
    + `${threads > 1 ? `${threads} ground sets at once` : 'the largest ground set'} ${mib(tiledBytes - inputBytes)}) `
    + `but memoryBudget is ${mib(budgetBytes)}; ${hints.join('; or ')}`);
}

function mib(bytes: number): string {
  return bytes >= 1 << 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
