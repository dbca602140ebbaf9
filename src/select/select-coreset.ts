// selectCoreset: the public entry. Validates, splits the budget over classes, runs the
// greedy per class with the WebAssembly kernels and merges the picks by gain.
import { acquireKernels, releaseKernels } from '../kernels/wasm.js';
import { groundSets, mergeGroundSets, type Ground } from './classes.js';
import { selectGroundSet, type GroundSetSelection } from './facility-location.js';
import { selectPartitioned } from './partitioned.js';
import { classSeed, resolveBudget, resolveOptions, type Metric, type Optimizer, type SelectOptions } from './options.js';
import { Pacer, now } from './pacer.js';
import { toRows, type VectorsInput } from './vectors.js';

export interface Coreset {
  /** Selected rows (indices into the input), in merged greedy order: highest gain first. */
  indices: Int32Array;
  /** Weight of each selected row: how many rows (of its class) it is nearest to. Sums to n. */
  weights: Float32Array;
  /** Marginal gain of each pick in facility location F(S) = sum_i max_j (C - d(i, j)). */
  gains: Float64Array;
  /** L(S) = sum_i d(v_i, nearest selected row of its class). */
  cost: number;
  /** 'dense' when every ground set's distance block fit the memory budget, 'tiled' when none did. */
  path: 'dense' | 'tiled' | 'dense+tiled';
  /** Wall time of the selection, in seconds. */
  seconds: number;
  budget: number;
  metric: Metric;
  optimizer: Optimizer;
  /** Marginal-gain evaluations done by the greedy (a cost measure independent of the machine). */
  evaluations: number;
}

export async function selectCoreset(vectors: VectorsInput, options: SelectOptions = {}): Promise<Coreset> {
  const started = now();
  const config = resolveOptions(options);
  const rows = toRows(vectors, options.dim);
  const budget = resolveBudget(options, rows.count);
  const grounds = groundSets(rows, options.labels, budget);
  const pacer = new Pacer(config.signal, config.onProgress);
  const kernels = await acquireKernels();
  const results: { ground: Ground; selection: GroundSetSelection }[] = [];
  try {
    let selectedBefore = 0;
    for (let c = 0; c < grounds.length; c++) {
      const ground = grounds[c];
      const select = config.optimizer === 'partitioned' ? selectPartitioned : selectGroundSet;
      const selection = await select(
        kernels, rows, ground.members, ground.budget,
        { ...config, seed: classSeed(config.seed, c) }, pacer,
        (phase, done, total, picked) => ({
          phase, done, total, selected: selectedBefore + picked, budget, classIndex: c, classCount: grounds.length,
        }),
      );
      results.push({ ground, selection });
      selectedBefore += ground.budget;
    }
  } finally {
    releaseKernels(kernels);
  }
  pacer.report({ phase: 'greedy', done: budget, total: budget, selected: budget, budget, classIndex: grounds.length - 1, classCount: grounds.length });
  return { ...mergeGroundSets(results), budget, seconds: (now() - started) / 1000, metric: config.metric, optimizer: config.optimizer };
}

