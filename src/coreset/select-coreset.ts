// selectCoreset: the public entry. Validates once, splits the budget over classes, runs the
// configured optimizer per class (here, or in parallel Workers) and merges the picks by gain.
import { acquireKernels, releaseKernels } from '../kernels/wasm.js';
import type { Optimizer } from '../optimizers/registry.js';
import type { InnerParallel } from '../optimizers/types.js';
import { resolveBudget, resolveOptions, type ResolvedOptions, type SelectOptions } from '../options/select.js';
import { runInWorkers, workersAvailable } from '../parallel/pool.js';
import { groundSets, mergeGroundSets, type Ground } from '../select/classes.js';
import { Pacer, now } from '../select/pacer.js';
import { classSeed } from '../select/random.js';
import type { GroundSetSelection } from '../select/selection.js';
import { flatRows, toRows, type Rows, type VectorsInput } from '../select/vectors.js';
import { innerParallel } from './inner-parallel.js';
import { planMemory } from './memory-plan.js';
import { selectMembers } from './select-members.js';
import { isRowStream, selectStream, type RowStream } from './stream.js';
import type { Coreset } from './types.js';
import { groundSetTask, type TaskConfig } from './tasks.js';
import { WORKER_SOURCE } from './worker-source.js';

export type { Coreset } from './types.js';

/** The data half of a selection: the rows' shape, their classes and how many to pick. */
export interface SelectionData {
  dim?: number;
  labels?: ArrayLike<number>;
  budget?: number;
  fraction?: number;
}

/** Rows in memory (see VectorsInput), or a stream of row blocks (RowStream: src/coreset/stream.ts). */
export async function selectCoreset(vectors: VectorsInput | RowStream, options: SelectOptions = {}): Promise<Coreset> {
  if (isRowStream(vectors)) return selectStream(vectors, options, selectWithConfig);
  return selectWithConfig(vectors, options, resolveOptions(options));
}

/** selectCoreset with its options already resolved (the selectors resolve theirs once, at construction). */
export async function selectWithConfig(vectors: VectorsInput, data: SelectionData, config: ResolvedOptions): Promise<Coreset> {
  const started = now();
  const rows = toRows(vectors, data.dim);
  const budget = resolveBudget(data, rows.count);
  const grounds = groundSets(rows, data.labels, budget);
  const pacer = new Pacer(config.signal, config.onProgress);
  const { signal, onProgress, ...shared } = config;
  const workers = config.threads > 1 && selectionWorkersAvailable();
  const across = threadsAcross(config, grounds, workers);
  const plan = planMemory(rows, grounds, config, across, workers ? config.threads : 1);
  const configs = grounds.map((_, c) => ({
    ...shared, optimizer: plan.optimizers[c], partitionSize: plan.partitionSizes[c], blockMemory: plan.blockMemory, seed: classSeed(config.seed, c),
  }));
  // one ground set: a part-based optimizer's parts and assignment, or an exact one's dense build, take the threads instead
  const innerThreads = grounds.length !== 1 ? 1 : PART_BASED.has(configs[0].optimizer) ? config.threads : plan.denseThreads;
  const inner = workers && innerThreads > 1 ? innerParallel(innerThreads, config.signal, configs[0]) : undefined;
  const threads = inner?.threads ?? across;
  const selections = across > 1
    ? await selectGroundSetsInWorkers(rows, grounds, configs, across, pacer, budget)
    : await selectGroundSetsHere(rows, grounds, configs, pacer, budget, inner);
  pacer.report({ phase: 'greedy', done: budget, total: budget, selected: budget, budget, classIndex: grounds.length - 1, classCount: grounds.length });
  return {
    ...mergeGroundSets(grounds.map((ground, c) => ({ ground, selection: selections[c] }))),
    budget, seconds: (now() - started) / 1000, metric: config.metric,
    optimizer: plan.optimizers[largest(grounds)], plannedBytes: plan.bytes, threads,
  };
}

/**
 * Refuses, from the rows' shape and classes alone (no pass over the values, no copy), a
 * selection that memoryBudget cannot hold: a selector calls it before work of its own (AdaCore's
 * preconditioned copy of the rows). Nothing to check without a budget; selectWithConfig plans
 * the same selection again.
 */
export function checkMemoryBudget(vectors: Float32Array, count: number, dim: number, data: SelectionData, config: ResolvedOptions): void {
  if (config.memoryBudget === undefined) return;
  const rows = flatRows(vectors, count, dim);
  const grounds = groundSets(rows, data.labels, resolveBudget(data, count));
  const workers = config.threads > 1 && selectionWorkersAvailable();
  planMemory(rows, grounds, config, threadsAcross(config, grounds, workers), workers ? config.threads : 1);
}

/** How many ground sets select at once: one per Worker, at most one per ground set. */
function threadsAcross(config: ResolvedOptions, grounds: Ground[], workers: boolean): number {
  const requested = Math.min(config.threads, grounds.length);
  return workers && requested > 1 ? requested : 1;
}

/** The optimizers whose parts and assignment can run in Workers for a single ground set. */
const PART_BASED = new Set<Optimizer>(['partitioned', 'spatial', 'proportional']);

/** The position of the ground set with the most rows (the first on ties). */
function largest(grounds: Ground[]): number {
  let best = 0;
  for (let c = 1; c < grounds.length; c++) if (grounds[c].members.length > grounds[best].members.length) best = c;
  return best;
}

/** Whether this runtime can select in Workers (Node, Deno, browsers; not e.g. workerd). */
export function selectionWorkersAvailable(): boolean {
  return WORKER_SOURCE !== '' && workersAvailable();
}

/** One ground set after the other, in this thread, sliced by the pacer. */
async function selectGroundSetsHere(
  rows: Rows, grounds: Ground[], configs: TaskConfig[], pacer: Pacer, budget: number, inner?: InnerParallel,
): Promise<GroundSetSelection[]> {
  const kernels = await acquireKernels();
  const selections: GroundSetSelection[] = [];
  try {
    let selectedBefore = 0;
    for (let c = 0; c < grounds.length; c++) {
      const ground = grounds[c];
      selections.push(await selectMembers(
        kernels, rows, ground.members, ground.budget, configs[c], pacer,
        (phase, done, total, picked) => ({
          phase, done, total, selected: selectedBefore + picked, budget, classIndex: c, classCount: grounds.length,
        }),
        inner,
      ));
      selectedBefore += ground.budget;
    }
  } finally {
    releaseKernels(kernels);
  }
  return selections;
}

/** Ground sets in parallel Workers; progress is reported as each one finishes. */
async function selectGroundSetsInWorkers(
  rows: Rows, grounds: Ground[], configs: TaskConfig[], threads: number, pacer: Pacer, budget: number,
): Promise<GroundSetSelection[]> {
  pacer.throwIfAborted();
  let selected = 0;
  return runInWorkers<GroundSetSelection>(
    WORKER_SOURCE, grounds.length, threads,
    (c) => {
      const payload = groundSetTask(rows, grounds[c].members, grounds[c].budget, configs[c]);
      return { payload, transfer: [payload.vectors.buffer] };
    },
    pacer.signal,
    (c) => {
      selected += grounds[c].budget;
      pacer.report({ phase: 'greedy', done: selected, total: budget, selected, budget, classIndex: c, classCount: grounds.length });
    },
  );
}
