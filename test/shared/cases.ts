// The runtime-neutral test cases: every runner (Node/vitest, Deno, Chromium page and module
// Worker) imports dist/adacore.mjs, passes it to cases() and runs each case's body unchanged.
// No node:, Deno. or vitest imports here.
import { close, equal, fail, ok, rejects, sameArray, throws } from './assert.ts';
import { blobs, fashion, gaussian, permutation, random } from './data.ts';

/** Fingerprint of the AdaCore case's selection, computed in Node; every runtime must match it. */
const ADACORE_FINGERPRINT = -868559812;

// ---- the slice of adacore's public API the cases use (kept structural: the runners pass
// the module namespace of dist/adacore.mjs, which is plain JS to Deno) ----------------------
export interface Coreset {
  indices: Int32Array;
  weights: Float32Array;
  gains: Float64Array;
  cost: number;
  path: 'dense' | 'tiled' | 'dense+tiled';
  seconds?: number;
  budget: number;
  metric: string;
  optimizer: string;
  evaluations: number;
  threads?: number;
}
export interface Progress {
  phase: string; done: number; total: number; selected: number; budget: number; classIndex: number; classCount: number;
}
/** Options as the cases pass them: loosely typed, since some cases pass bad values on purpose. */
export type Options = Record<string, unknown>;
type Vectors = Float32Array | Float64Array | ArrayLike<number>[];
export interface Lib {
  selectCoreset(vectors: Vectors, options?: Options): Promise<Coreset>;
  referenceSelectCoreset(vectors: Vectors, options?: Options): Coreset;
  facilityLocationCost(vectors: Vectors, dim: number | undefined, indices: ArrayLike<number>, metric?: string, labels?: ArrayLike<number>): Promise<number>;
  gradientError(vectors: Vectors, dim: number | undefined, indices: ArrayLike<number>, weights: ArrayLike<number>): number;
  classBudgets(sizes: ArrayLike<number>, budget: number): number[];
  AdacoreError: abstract new (...args: never[]) => Error;
  AdaCoreSelector: new (options?: Options) => Selector & { state?: { secondMoment: Float32Array; biasCorrection: number } };
  createSelector(method: string, options?: Options): Selector;
  softmaxCrossEntropyFromLogits(logits: Float32Array, rows: number, classes: number, labels: ArrayLike<number>): Batch;
  workersAvailable(): boolean;
  releaseWorkers(): void;
  releaseKernelMemory(): void;
}
export interface Batch { gradients: Float32Array; hessianDiagonals?: Float32Array; rows: number; dim: number }
export interface Selector {
  select(batch: Batch, options: Options): Promise<Coreset & { method: string; round: number }>;
  select(options: Options): Promise<Coreset & { method: string; round: number }>;
  reset(): void;
}
export interface Case {
  name: string;
  run: () => Promise<void>;
}

export const METRICS = ['euclidean', 'sqeuclidean', 'cosine'] as const;
export const OPTIMIZERS = ['lazy', 'stochastic', 'naive'] as const;
/** Tolerances of the WASM (float32 kernels) vs reference (float64) comparison. */
const COST_REL = 1e-5;
const GAIN_REL = 1e-5;

// ---- helpers --------------------------------------------------------------------------------

/** The data a selection ran on, so a divergence from the reference can be explained. */
interface Input { x: ArrayLike<number>; dim: number; labels?: ArrayLike<number>; metric?: string }

/** Exact float64 gains within this relative difference are a true tie (e.g. two close rows far from the rest). */
const TIE_REL = 1e-9;

/**
 * Where the picks first differ, the exact (float64) marginal gains of both candidates given
 * the common prefix of their class: tells a true tie from a real divergence.
 */
function divergence(actual: Coreset, expected: Coreset, p: number, input: Input | undefined, reportedTies = false): { tie: boolean; text: string } {
  if (!input) {
    if (!reportedTies) return { tie: false, text: '' };
    // the partitioned optimizer's merge gains are weighted sums over a union the test does not
    // see: a tie is two picks whose reported gains agree to float32 rounding
    const rel = Math.abs(actual.gains[p] - expected.gains[p]) / Math.max(Math.abs(expected.gains[p]), 1e-300);
    return { tie: rel <= 1e-6, text: ` (reported gains at [${p}]: ${actual.gains[p]} vs ${expected.gains[p]}, relative difference ${rel.toExponential(2)})` };
  }
  const { x, dim, labels } = input;
  const metric = input.metric ?? 'euclidean';
  const n = x.length / dim;
  const ours = actual.indices[p], theirs = expected.indices[p];
  const cls = (i: number) => (labels ? labels[i] : 0);
  if (cls(ours) !== cls(theirs)) return { tie: false, text: ` (the picks at [${p}] are from different classes: the merge order differs)` };
  const members = Array.from({ length: n }, (_, i) => i).filter((i) => cls(i) === cls(ours));
  const prefix = Array.from(expected.indices.subarray(0, p)).filter((i) => cls(i) === cls(ours));
  if (prefix.length === 0) return { tie: false, text: ` (the first pick of its class, at [${p}])` };
  const minDist = members.map((i) => Math.min(...prefix.map((j) => (i === j ? 0 : distance(x, dim, i, j, metric)))));
  const gain = (c: number) => members.reduce((sum, i, t) => sum + Math.max(0, minDist[t] - (i === c ? 0 : distance(x, dim, i, c, metric))), 0);
  const g1 = gain(ours), g2 = gain(theirs);
  const rel = Math.abs(g1 - g2) / Math.max(Math.abs(g1), Math.abs(g2), 1e-300);
  return {
    tie: rel <= TIE_REL,
    text: ` (exact float64 gains at [${p}] given the common prefix: row ${ours} ${g1}, row ${theirs} ${g2}, relative difference ${rel.toExponential(2)})`,
  };
}

/**
 * Identical indices and weights, cost and every gain within 1e-5 relative (+ gainAbs).
 * One exception, only when `input` is given: if the picks first differ where the two
 * candidates' exact float64 gains are equal (a true tie: two close rows a, b far from the
 * rest both gain d(a,S) + d(b,S) - d(a,b)), the reference takes the lower index and float32
 * rounding may take the other. Then only the common prefix and the tied gain are compared,
 * since everything after legitimately differs. With `reportedTies` (the partitioned
 * optimizer, whose merge gains the test cannot recompute), the picks' reported gains agreeing
 * to 1e-6 stand for that proof.
 */
function sameAsReference(
  actual: Coreset, expected: Coreset, what: string, input?: Input,
  { gainAbs = 1e-9, reportedTies = false }: { gainAbs?: number; reportedTies?: boolean } = {},
): void {
  equal(actual.indices.length, expected.indices.length, `${what}: number of picks`);
  let p = 0;
  while (p < expected.indices.length && actual.indices[p] === expected.indices[p]) p++;
  const diverged = p < expected.indices.length;
  if (diverged) {
    const why = divergence(actual, expected, p, input, reportedTies);
    if (!why.tie) sameArray(actual.indices, expected.indices, `${what}: indices${why.text}`);
  } else {
    sameArray(actual.weights, expected.weights, `${what}: weights`);
    close(actual.cost, expected.cost, COST_REL, `${what}: cost`, 1e-9);
  }
  equal(actual.gains.length, expected.gains.length, `${what}: number of gains`);
  for (let q = 0; q < Math.min(expected.gains.length, p + 1); q++) {
    close(actual.gains[q], expected.gains[q], GAIN_REL, `${what}: gains[${q}] (pick ${actual.indices[q]})`, gainAbs);
  }
  equal(actual.budget, expected.budget, `${what}: budget`);
  equal(actual.metric, expected.metric, `${what}: metric`);
  equal(actual.optimizer, expected.optimizer, `${what}: optimizer`);
}

/** Two WASM results that must be bit-identical (same input, same options). */
function identical(actual: Coreset, expected: Coreset, what: string): void {
  sameArray(actual.indices, expected.indices, `${what}: indices`);
  sameArray(actual.weights, expected.weights, `${what}: weights`);
  sameArray(actual.gains, expected.gains, `${what}: gains`);
  equal(actual.cost, expected.cost, `${what}: cost`);
  equal(actual.path, expected.path, `${what}: path`);
  equal(actual.evaluations, expected.evaluations, `${what}: evaluations`);
}

function noDuplicates(indices: ArrayLike<number>, n: number, what: string): void {
  const seen = new Set<number>();
  for (let p = 0; p < indices.length; p++) {
    const i = indices[p];
    ok(Number.isInteger(i) && i >= 0 && i < n, `${what}: indices[${p}] = ${i} is not a row in 0..${n - 1}`);
    ok(!seen.has(i), `${what}: row ${i} selected twice (indices[${p}])`);
    seen.add(i);
  }
}

/** Sorted distinct label values (the library's class order) and each row's class id. */
function classesOf(labels: ArrayLike<number>): { values: number[]; classOf: Int32Array; sizes: number[] } {
  const values = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const id = new Map(values.map((v, c) => [v, c]));
  const classOf = Int32Array.from(Array.from(labels), (v) => id.get(v)!);
  const sizes = values.map(() => 0);
  for (const c of classOf) sizes[c]++;
  return { values, classOf, sizes };
}

function distance(x: ArrayLike<number>, dim: number, a: number, b: number, metric: string): number {
  let dot = 0, na = 0, nb = 0, sq = 0;
  for (let j = 0; j < dim; j++) {
    const u = x[a * dim + j], v = x[b * dim + j];
    dot += u * v; na += u * u; nb += v * v; sq += (u - v) * (u - v);
  }
  if (metric === 'cosine') return na > 0 && nb > 0 ? Math.max(0, 1 - dot / Math.sqrt(na * nb)) : 1;
  return metric === 'euclidean' ? Math.sqrt(sq) : sq;
}

/**
 * The weights must be cluster sizes: each row counts towards its nearest selected row of its
 * class (earliest pick on ties); recomputed here in float64, independently of the library.
 */
function checkClusters(x: ArrayLike<number>, dim: number, labels: ArrayLike<number> | undefined, result: Coreset, metric: string, what: string): void {
  const n = x.length / dim;
  const classOf = labels ? classesOf(labels).classOf : new Int32Array(n);
  const counts = new Float64Array(result.indices.length);
  const position = new Map(Array.from(result.indices, (row, p) => [row, p]));
  for (let i = 0; i < n; i++) {
    if (position.has(i)) { counts[position.get(i)!]++; continue; } // a selected row is its own nearest
    let best = -1, bestDistance = Infinity;
    for (let p = 0; p < result.indices.length; p++) {
      const j = result.indices[p];
      if (classOf[j] !== classOf[i]) continue;
      const d = distance(x, dim, i, j, metric);
      if (d < bestDistance) { best = p; bestDistance = d; }
    }
    ok(best >= 0, `${what}: row ${i} has no selected row in its class`);
    counts[best]++;
  }
  let sum = 0;
  for (let p = 0; p < result.weights.length; p++) {
    const w = result.weights[p];
    ok(w >= 1, `${what}: weights[${p}] = ${w} (row ${result.indices[p]}) is below 1: a selected row is in its own cluster`);
    equal(w, counts[p], `${what}: weights[${p}] (row ${result.indices[p]}) should be its cluster size`);
    sum += w;
  }
  equal(sum, n, `${what}: the weights' sum`);
}

function expectAdacoreError(lib: Lib, error: Error, argument: string, pattern: RegExp, what: string): void {
  ok(error instanceof lib.AdacoreError, `${what}: expected an AdacoreError, got ${error?.name}: ${error?.message}`);
  equal(error.name, 'AdacoreError', `${what}: error name`);
  equal((error as Error & { argument: string }).argument, argument, `${what}: error.argument (message: ${error.message})`);
  ok(error.message.startsWith(`${argument}: `), `${what}: message should start with "${argument}: ", got ${JSON.stringify(error.message)}`);
  ok(pattern.test(error.message), `${what}: message ${JSON.stringify(error.message)} should match ${pattern}`);
}

/** Both the WASM path (rejects) and the reference (throws) refuse the input the same way. */
async function bothReject(lib: Lib, vectors: Vectors, options: Options, argument: string, pattern: RegExp, what: string): Promise<void> {
  const error = await rejects(() => lib.selectCoreset(vectors, options), `selectCoreset with ${what}`);
  expectAdacoreError(lib, error, argument, pattern, `selectCoreset with ${what}`);
  const reference = throws(() => lib.referenceSelectCoreset(vectors, options), `referenceSelectCoreset with ${what}`);
  expectAdacoreError(lib, reference, argument, pattern, `referenceSelectCoreset with ${what}`);
}

/**
 * A signal and an onProgress that abort a selection from a timer set at its first progress
 * report: the timer fires only if the selection yields to the event loop, and (unlike a fixed
 * delay, which fast machines' selections beat) it cannot race the selection's end.
 */
function timerAbort(): { signal: AbortSignal; onProgress: () => void; clear: () => void } {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    signal: controller.signal,
    onProgress: () => { timer ??= setTimeout(() => controller.abort(), 0); },
    clear: () => clearTimeout(timer),
  };
}

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Error).name === 'AbortError';
}

/** Labels with values 40, 3, 17 ... in a seeded random order (classes interleaved, unsorted). */
function interleavedLabels(sizes: number[], values: number[], seed: number): Int32Array {
  const labels: number[] = [];
  sizes.forEach((size, c) => { for (let t = 0; t < size; t++) labels.push(values[c]); });
  const order = permutation(labels.length, seed);
  return Int32Array.from(order, (i) => labels[i]);
}

// ---- the cases -----------------------------------------------------------------------------

export function cases(lib: Lib): Case[] {
  const list: Case[] = [];
  const add = (name: string, run: () => Promise<void>) => list.push({ name, run });

  // 1. WASM = reference on random data, every optimizer x metric, dense and tiled paths.
  const shapes = [{ n: 600, d: 5, budget: 30 }, { n: 450, d: 13, budget: 25 }, { n: 300, d: 64, budget: 20 }];
  for (const { n, d, budget } of shapes) {
    for (const optimizer of OPTIMIZERS) {
      for (const metric of METRICS) {
        add(`wasm equals reference: random n=${n} d=${d} budget=${budget}, ${optimizer}, ${metric}, dense and tiled`, async () => {
          const x = blobs(n, d, 1000 + d);
          const options = { dim: d, budget, optimizer, metric, seed: 11 };
          const expected = lib.referenceSelectCoreset(x, options);
          const dense = await lib.selectCoreset(x, options);
          equal(dense.path, 'dense', 'default path');
          sameAsReference(dense, expected, 'dense', { x, dim: d, metric });
          const tiled = await lib.selectCoreset(x, { ...options, memoryBudget: 0 });
          equal(tiled.path, 'tiled', 'path with memoryBudget 0');
          sameAsReference(tiled, expected, 'tiled', { x, dim: d, metric });
          ok(dense.seconds !== undefined && dense.seconds >= 0, 'seconds is reported');
        });
      }
    }
  }

  // 2. The same on real data: the committed Fashion-MNIST slice, per class.
  for (const [optimizer, metric] of [['lazy', 'euclidean'], ['stochastic', 'euclidean'], ['lazy', 'cosine'], ['stochastic', 'sqeuclidean']] as const) {
    add(`wasm equals reference: Fashion-MNIST slice (600 x 784) per class, budget 60, ${optimizer}, ${metric}, dense and tiled`, async () => {
      const { vectors, labels, dim } = fashion();
      const options = { dim, labels, budget: 60, optimizer, metric, seed: 3 };
      const expected = lib.referenceSelectCoreset(vectors, options);
      const dense = await lib.selectCoreset(vectors, options);
      equal(dense.path, 'dense', 'default path');
      sameAsReference(dense, expected, 'dense', { x: vectors, dim, labels, metric });
      const tiled = await lib.selectCoreset(vectors, { ...options, memoryBudget: 0 });
      equal(tiled.path, 'tiled', 'path with memoryBudget 0');
      sameAsReference(tiled, expected, 'tiled', { x: vectors, dim, labels, metric });
      const budgets = lib.classBudgets(classesOf(labels).sizes, 60);
      const counts = budgets.map(() => 0);
      for (const i of dense.indices) counts[labels[i]]++; // Fashion labels are 0..9, all present
      sameArray(counts, budgets, 'picks per class');
    });
  }
  add('wasm equals reference: Fashion-MNIST slice without labels, budget 40, naive, euclidean', async () => {
    const { vectors, dim } = fashion();
    const options = { dim, budget: 40, optimizer: 'naive' };
    sameAsReference(await lib.selectCoreset(vectors, options), lib.referenceSelectCoreset(vectors, options), 'naive');
  });

  // 3. Determinism.
  add('same seed gives an identical result (every optimizer, with labels)', async () => {
    const x = blobs(400, 9, 77);
    const labels = interleavedLabels([150, 130, 120], [2, 0, 1], 5);
    for (const optimizer of OPTIMIZERS) {
      const options = { dim: 9, labels, budget: 30, optimizer, seed: 12345 };
      const a = await lib.selectCoreset(x, options);
      const b = await lib.selectCoreset(x, options);
      identical(b, a, `${optimizer}, second run`);
      sameAsReference(a, lib.referenceSelectCoreset(x, options), `${optimizer} vs reference`);
    }
  });
  add('different seeds give different stochastic selections (each equal to the reference)', async () => {
    const x = blobs(600, 8, 78);
    const picks: string[] = [];
    for (const seed of [1, 2, 3]) {
      const options = { dim: 8, budget: 30, optimizer: 'stochastic', seed };
      const result = await lib.selectCoreset(x, options);
      sameAsReference(result, lib.referenceSelectCoreset(x, options), `seed ${seed}`);
      picks.push(Array.from(result.indices).join(','));
    }
    ok(picks[0] !== picks[1] && picks[1] !== picks[2] && picks[0] !== picks[2], `seeds 1, 2, 3 should give different selections, got ${picks.join(' | ')}`);
  });

  // 3b. The partitioned optimizer (GreeDi): its float64 reference, lazy greedy on small
  // ground sets, exact cluster weights, quality, seeds.
  // Both rounds meet true ties (two close rows far from the picks gain exactly the same),
  // which float32 may break the other way. In round 1 that swaps one member of the merge
  // round's union, so a merged pick's gain may move by a point's distance or so (seen: 1.2e-4
  // of the largest gain; gains are held to 5e-4 of it); in the merge round the picks part
  // there, as in sameAsReference's exception (seen: sqeuclidean, rows 1283 and 1319 at [45]).
  const partitioned = (expected: Coreset) => ({ gainAbs: 5e-4 * Math.max(...expected.gains), reportedTies: true });
  for (const metric of METRICS) {
    add(`partitioned equals its reference: n=1400 d=6 in 2 classes, parts of 300, ${metric}, dense and tiled`, async () => {
      const n = 1400, d = 6;
      const x = blobs(n, d, 4242, 12);
      const labels = interleavedLabels([800, 600], [1, 0], 17);
      const options = { dim: d, labels, budget: 70, optimizer: 'partitioned', partitionSize: 300, oversampling: 3, metric, seed: 5 };
      const expected = lib.referenceSelectCoreset(x, options);
      const dense = await lib.selectCoreset(x, options);
      sameAsReference(dense, expected, 'dense', undefined, partitioned(expected));
      checkClusters(x, d, labels, dense, metric, 'dense');
      close(dense.cost, await lib.facilityLocationCost(x, d, dense.indices, metric, labels), 1e-5, 'cost is the facility-location cost of the picks', 1e-9);
      const tiled = await lib.selectCoreset(x, { ...options, memoryBudget: 0 });
      equal(tiled.path, 'tiled', 'path with memoryBudget 0');
      sameAsReference(tiled, expected, 'tiled', undefined, partitioned(expected));
    });
  }
  add('partitioned on a ground set of at most partitionSize points is lazy greedy, pick for pick', async () => {
    const x = blobs(500, 7, 4343);
    const labels = interleavedLabels([300, 200], [0, 1], 3);
    const lazy = await lib.selectCoreset(x, { dim: 7, labels, budget: 40 });
    const partitioned = await lib.selectCoreset(x, { dim: 7, labels, budget: 40, optimizer: 'partitioned', partitionSize: 300 });
    equal(partitioned.optimizer, 'partitioned', 'optimizer');
    sameArray(partitioned.indices, lazy.indices, 'indices');
    sameArray(partitioned.weights, lazy.weights, 'weights');
    sameArray(partitioned.gains, lazy.gains, 'gains');
    equal(partitioned.cost, lazy.cost, 'cost');
  });
  add('partitioned: cost within 5 % of lazy greedy on 3,000 clustered points in 8 parts; deterministic per seed', async () => {
    const x = blobs(3000, 8, 4444, 40, 0.6);
    const options = { dim: 8, budget: 150, optimizer: 'partitioned', partitionSize: 375, seed: 1 };
    const lazy = await lib.selectCoreset(x, { dim: 8, budget: 150 });
    const a = await lib.selectCoreset(x, options);
    ok(a.cost <= lazy.cost * 1.05, `partitioned cost ${a.cost} should be within 5 % of lazy greedy's ${lazy.cost}`);
    ok(a.cost >= lazy.cost * 0.9, `partitioned cost ${a.cost} far below lazy greedy's ${lazy.cost}: the cost is not measured on all points`);
    identical(await lib.selectCoreset(x, options), a, 'same seed');
    const b = await lib.selectCoreset(x, { ...options, seed: 2 });
    ok(Array.from(b.indices).join() !== Array.from(a.indices).join(), 'another seed partitions differently');
    checkClusters(x, 8, undefined, b, 'euclidean', 'seed 2');
  });
  add('partitioned: members outside the merge round get their exact nearest pick through their owners (duplicates, outliers; dense and tiled)', async () => {
    // both paths assign them through their round-1 owners with the triangle inequality
    // (assignThroughOwners; 90 picks: the last group of four is padded); each pick must get its
    // exact cluster (the float64 brute force of checkClusters; ties to the earlier pick). At
    // d = 5 the owner-to-pick distances are computed from the rows, at d = 40 on the dense path
    // read from the merge round's matrix.
    const n = 1600;
    for (const d of [5, 40]) {
      const x = blobs(n, d, 5151, 30, 0.4);
      for (let i = 0; i < 200; i++) x.copyWithin((i + 1000) * d, i * d, (i + 1) * d); // rows 1000..1199 repeat rows 0..199
      // far outliers; evenly spaced at d = 5, where the difference form makes their exact ties
      // exact (the earlier pick takes them); unevenly at d = 40, whose Gram form rounds such ties
      for (let i = 1300; i < 1320; i++) for (let j = 0; j < d; j++) x[i * d + j] = 40 + (d === 5 ? i - 1300 : (i - 1300) ** 1.5) + j;
      for (const metric of ['euclidean', 'sqeuclidean'] as const) {
        const options = { dim: d, budget: 90, optimizer: 'partitioned', partitionSize: 200, oversampling: 3, metric, seed: 3 };
        const dense = await lib.selectCoreset(x, options);
        equal(dense.path, 'dense', `d = ${d}, ${metric}: path`);
        checkClusters(x, d, undefined, dense, metric, `d = ${d}, ${metric}, dense`);
        close(await lib.facilityLocationCost(x, d, dense.indices, metric), dense.cost, 1e-5, `d = ${d}, ${metric}: cost is that of the picks`, 1e-9);
        const tiled = await lib.selectCoreset(x, { ...options, memoryBudget: 0 });
        equal(tiled.path, 'tiled', `d = ${d}, ${metric}: path with memoryBudget 0`);
        checkClusters(x, d, undefined, tiled, metric, `d = ${d}, ${metric}, tiled`);
      }
    }
  });
  add('partitioned on a fresh kernel instance at d = 300: the final assignment grows the memory safely', async () => {
    const x = blobs(1200, 300, 4848, 10);
    const labels = Int32Array.from({ length: 1200 }, (_, i) => i % 2);
    const options = { dim: 300, labels, budget: 200, optimizer: 'partitioned', partitionSize: 100, oversampling: 1.5 };
    lib.releaseKernelMemory();
    const result = await lib.selectCoreset(x, options);
    identical(result, await lib.selectCoreset(x, options), 'fresh instance vs the kept one');
    checkClusters(x, 300, labels, result, 'euclidean', 'fresh instance');
    lib.releaseKernelMemory();
    close(await lib.facilityLocationCost(x, 300, result.indices, 'euclidean', labels), result.cost, 1e-5, 'facilityLocationCost on a fresh instance', 1e-9);
  });
  add('partitioned: partitionSize and oversampling are validated', async () => {
    const x = blobs(50, 3, 1);
    await bothReject(lib, x, { dim: 3, budget: 5, optimizer: 'partitioned', partitionSize: 1 }, 'partitionSize', /at least 2, got 1/, 'partitionSize 1');
    await bothReject(lib, x, { dim: 3, budget: 5, optimizer: 'partitioned', partitionSize: 2.5 }, 'partitionSize', /integer/, 'partitionSize 2.5');
    await bothReject(lib, x, { dim: 3, budget: 5, optimizer: 'partitioned', oversampling: 0.5 }, 'oversampling', /at least 1, got 0.5/, 'oversampling 0.5');
    await bothReject(lib, x, { dim: 3, budget: 5, optimizer: 'partitioned', oversampling: Infinity }, 'oversampling', /at least 1/, 'oversampling Infinity');
  });

  // 3c. Threads: ground sets in parallel Workers, the same result as in-thread.
  add('threads: 3 Workers give the in-thread result bit for bit (partitioned and lazy, 5 classes), and report threads', async () => {
    if (!lib.workersAvailable()) throw new Error('workersAvailable() is false in a runtime that has Workers');
    const x = blobs(2500, 9, 4545, 20);
    const labels = interleavedLabels([700, 600, 500, 400, 300], [4, 0, 2, 1, 3], 8);
    try {
      for (const optimizer of ['partitioned', 'lazy']) {
        const options = { dim: 9, labels, fraction: 0.08, optimizer, partitionSize: 200, seed: 21 };
        const here = await lib.selectCoreset(x, options);
        equal(here.threads, 1, `${optimizer}: threads in-thread`);
        const progress: Progress[] = [];
        const parallel = await lib.selectCoreset(x, { ...options, threads: 3, onProgress: (p: Progress) => progress.push(p) });
        equal(parallel.threads, 3, `${optimizer}: threads with Workers`);
        sameArray(parallel.indices, here.indices, `${optimizer}: indices`);
        sameArray(parallel.weights, here.weights, `${optimizer}: weights`);
        sameArray(parallel.gains, here.gains, `${optimizer}: gains`);
        equal(parallel.cost, here.cost, `${optimizer}: cost`);
        equal(parallel.evaluations, here.evaluations, `${optimizer}: evaluations`);
        ok(progress.length >= 5 && progress.every((p) => p.selected <= p.budget), `${optimizer}: progress as each class finishes`);
      }
      // a second selection reuses the kept Workers
      const again = await lib.selectCoreset(x, { dim: 9, labels, budget: 50, threads: 2 });
      equal(again.threads, 2, 'threads on reuse');
    } finally {
      lib.releaseWorkers();
    }
  });
  add('threads: an error inside a Worker names the caller\'s row; an abort rejects with an AbortError; a throwing onProgress rejects', async () => {
    const x = blobs(600, 4, 4646);
    const labels = Int32Array.from({ length: 600 }, (_, i) => i % 3);
    x[4 * 301] = 3e19; // row 301 (class 1): finite, but too large for float32 distances
    try {
      const error = await rejects(() => lib.selectCoreset(x, { dim: 4, labels, budget: 30, threads: 3 }), 'a row too large');
      expectAdacoreError(lib, error, 'vectors', /row 301 is too large/, 'a row too large, in a Worker');
      // three small classes and a large one: the abort is set off (from a timer) when the first
      // class is done, while the large one is still running in a Worker
      const y = blobs(6000, 16, 4747);
      const ylabels = Int32Array.from({ length: 6000 }, (_, i) => (i < 1500 ? i % 3 : 3));
      const abort = timerAbort();
      const pending = lib.selectCoreset(y, {
        dim: 16, labels: ylabels, budget: 600, threads: 2, optimizer: 'naive', signal: abort.signal, onProgress: abort.onProgress,
      });
      const aborted = await rejects(() => pending, 'aborted selection with threads').finally(abort.clear);
      ok(isAbortError(aborted), `expected an AbortError, got ${aborted?.name}: ${aborted?.message}`);
      // an onProgress that throws ends the selection with its error (no hang)
      const thrown = await rejects(() => lib.selectCoreset(blobs(600, 4, 4646), {
        dim: 4, labels, budget: 30, threads: 3, onProgress: () => { throw new Error('stop from onProgress'); },
      }), 'onProgress throws');
      equal(thrown.message, 'stop from onProgress', 'the onProgress error');
      // the pool recovers: the next selection with threads works
      const clean = blobs(600, 4, 4646);
      equal((await lib.selectCoreset(clean, { dim: 4, labels, budget: 30, threads: 3 })).threads, 3, 'threads after an abort');
    } finally {
      lib.releaseWorkers();
    }
  });
  add('threads: 0, 1.5 and 1000 are rejected', async () => {
    const x = blobs(50, 3, 1);
    for (const threads of [0, 1.5, 1000]) {
      const error = await rejects(() => lib.selectCoreset(x, { dim: 3, budget: 5, threads }), `threads ${threads}`);
      expectAdacoreError(lib, error, 'threads', /expected an integer from 1 to 256/, `threads ${threads}`);
    }
  });

  // 4. Labels: class budgets, weights.
  add('labels: per-class counts equal classBudgets and sum to exactly the budget where ceil per class would overshoot', async () => {
    const sizes = [7, 7, 7, 7, 72, 13];
    const values = [40, 3, 17, 8, -5, 100];
    const n = sizes.reduce((a, b) => a + b, 0);
    const labels = interleavedLabels(sizes, values, 9);
    const x = blobs(n, 6, 79);
    const { sizes: sortedSizes, values: sortedValues } = classesOf(labels);
    for (const budget of [6, 10, 13, 37, 50, n]) {
      const ceilTotal = sortedSizes.reduce((sum, size) => sum + Math.ceil((budget * size) / n), 0);
      if (budget === 10 || budget === 13 || budget === 37) ok(ceilTotal > budget, `the data should make ceil per class overshoot (${ceilTotal} vs ${budget})`);
      const budgets = lib.classBudgets(sortedSizes, budget);
      equal(budgets.reduce((a, b) => a + b, 0), budget, `classBudgets(${sortedSizes}, ${budget}) sum`);
      for (const optimizer of OPTIMIZERS) {
        const result = await lib.selectCoreset(x, { dim: 6, labels, budget, optimizer });
        equal(result.indices.length, budget, `${optimizer} budget ${budget}: number of picks`);
        equal(result.budget, budget, `${optimizer} budget ${budget}: reported budget`);
        const counts = sortedValues.map((v) => Array.from(result.indices).filter((i) => labels[i] === v).length);
        sameArray(counts, budgets, `${optimizer} budget ${budget}: picks per class (classes ${sortedValues})`);
        noDuplicates(result.indices, n, `${optimizer} budget ${budget}`);
        checkClusters(x, 6, labels, result, 'euclidean', `${optimizer} budget ${budget}`);
      }
    }
  });
  add('labels: classBudgets is proportional with largest remainder, gives every class a point, and sums to the budget', async () => {
    sameArray(lib.classBudgets([7, 7, 7, 7, 72], 10), [1, 1, 1, 1, 6], 'classBudgets([7,7,7,7,72], 10)');
    sameArray(lib.classBudgets([50, 30, 20], 10), [5, 3, 2], 'classBudgets([50,30,20], 10)');
    sameArray(lib.classBudgets([10], 4), [4], 'one class');
    const uniform = random(4);
    for (let trial = 0; trial < 200; trial++) {
      const sizes = Array.from({ length: 1 + Math.floor(uniform() * 9) }, () => 1 + Math.floor(uniform() * 60));
      const n = sizes.reduce((a, b) => a + b, 0);
      const budget = sizes.length + Math.floor(uniform() * (n - sizes.length + 1));
      const budgets = lib.classBudgets(sizes, budget);
      equal(budgets.reduce((a, b) => a + b, 0), budget, `sum of classBudgets(${sizes}, ${budget})`);
      budgets.forEach((b, c) => ok(b >= 1 && b <= sizes[c], `classBudgets(${sizes}, ${budget})[${c}] = ${b} is outside 1..${sizes[c]}`));
    }
  });
  add('labels: weights are cluster sizes (not size + 1), sum to n exactly, each >= 1, each selected row in its own cluster', async () => {
    for (const metric of METRICS) {
      const x = blobs(500, 7, 80);
      const labels = interleavedLabels([60, 240, 200], [9, 4, 6], 10);
      for (const optimizer of OPTIMIZERS) {
        const result = await lib.selectCoreset(x, { dim: 7, labels, budget: 40, optimizer, metric, seed: 2 });
        checkClusters(x, 7, labels, result, metric, `${optimizer}, ${metric}, labels`);
        const plain = await lib.selectCoreset(x, { dim: 7, budget: 25, optimizer, metric, seed: 2 });
        checkClusters(x, 7, undefined, plain, metric, `${optimizer}, ${metric}, no labels`);
      }
    }
  });

  // 5. Regressions for peer defects (ALGORITHMS.md section 4, PEERS.md section 3.4).
  add("row 0, an outlier, is not the first pick and its gain is correct (CRAIG's `if not index` bug)", async () => {
    const n = 300, d = 10;
    const x = blobs(n, d, 81, 1, 1);
    for (let j = 0; j < d; j++) x[j] = 50; // row 0 far from everything
    for (const metric of METRICS) {
      for (const optimizer of OPTIMIZERS) {
        const options = { dim: d, budget: 8, optimizer, metric, seed: 4 };
        const result = await lib.selectCoreset(x, options);
        ok(result.indices[0] !== 0, `${optimizer}, ${metric}: row 0 (the outlier) was the first pick`);
        sameAsReference(result, lib.referenceSelectCoreset(x, options), `${optimizer}, ${metric}`);
      }
    }
    // per class: row 0 is the outlier of its class (label 1), whose rows are 0, 2, 4, ...
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    for (const optimizer of OPTIMIZERS) {
      const options = { dim: d, labels, budget: 10, optimizer, seed: 4 };
      const result = await lib.selectCoreset(x, options);
      const firstOfClass = Array.from(result.indices).find((i) => labels[i] === 0);
      ok(firstOfClass !== 0, `${optimizer}, labels: row 0 (its class's outlier) was its class's first pick`);
      sameAsReference(result, lib.referenceSelectCoreset(x, options), `${optimizer}, labels`);
    }
  });
  add("row 0, the most central row, is picked first with its full gain (element 0 is not mis-scored)", async () => {
    const n = 200, d = 6;
    const x = blobs(n, d, 82, 1, 1);
    // put row 0 at the column means: the unique 1-median of a round cloud
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let i = 1; i < n; i++) mean += x[i * d + j];
      x[j] = mean / (n - 1);
    }
    for (const optimizer of ['lazy', 'naive'] as const) {
      const options = { dim: d, budget: 5, optimizer };
      const expected = lib.referenceSelectCoreset(x, options);
      equal(expected.indices[0], 0, `reference ${optimizer}: the central row 0 should be the first pick`);
      const result = await lib.selectCoreset(x, options);
      equal(result.indices[0], 0, `${optimizer}: first pick`);
      sameAsReference(result, expected, optimizer);
      const labels = Int32Array.from({ length: n }, (_, i) => (i < 100 ? 1 : 0)); // row 0's class is the second class
      const perClass = await lib.selectCoreset(x, { ...options, labels, budget: 6 });
      sameAsReference(perClass, lib.referenceSelectCoreset(x, { ...options, labels, budget: 6 }), `${optimizer}, labels`);
    }
  });
  add('indices map back to input rows in the right order with interleaved, unsorted labels', async () => {
    const d = 5;
    const sizes = [90, 150, 60, 100];
    const values = [40, 3, 17, 8];
    const labels = interleavedLabels(sizes, values, 12);
    const n = labels.length;
    const x = blobs(n, d, 83);
    const budget = 40;
    const { values: sortedValues, sizes: sortedSizes } = classesOf(labels);
    const budgets = lib.classBudgets(sortedSizes, budget);
    for (const optimizer of OPTIMIZERS) {
      const options = { dim: d, labels, budget, optimizer, seed: 6 };
      const result = await lib.selectCoreset(x, options);
      sameAsReference(result, lib.referenceSelectCoreset(x, options), optimizer);
      // independently: select in each class's own rows and map back by hand
      for (let c = 0; c < sortedValues.length; c++) {
        const members = Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] === sortedValues[c]);
        const own = new Float32Array(members.length * d);
        members.forEach((row, t) => own.set(x.subarray(row * d, (row + 1) * d), t * d));
        const picked = Array.from(result.indices).filter((i) => labels[i] === sortedValues[c]);
        equal(picked.length, budgets[c], `${optimizer}: picks of label ${sortedValues[c]}`);
        if (optimizer === 'stochastic') continue; // its sampler seed is per class; covered by the reference
        const alone = await lib.selectCoreset(own, { dim: d, budget: budgets[c], optimizer });
        sameArray(picked, Array.from(alone.indices, (t) => members[t]), `${optimizer}: label ${sortedValues[c]} picks vs the class selected alone, mapped back`);
        const weightsOf = picked.map((i) => result.weights[Array.from(result.indices).indexOf(i)]);
        sameArray(weightsOf, Array.from(alone.weights), `${optimizer}: label ${sortedValues[c]} weights vs the class selected alone`);
      }
    }
  });
  add('no duplicate indices; gains non-increasing within each class and overall (lazy, naive)', async () => {
    for (const [n, d, seed] of [[500, 4, 84], [400, 32, 85], [600, 2, 86]] as const) {
      const x = blobs(n, d, seed, 4, 0.5);
      const labels = interleavedLabels([Math.floor(n / 2), n - Math.floor(n / 2)], [1, 0], seed);
      for (const optimizer of OPTIMIZERS) {
        for (const withLabels of [false, true]) {
          const result = await lib.selectCoreset(x, { dim: d, budget: 60, optimizer, labels: withLabels ? labels : undefined, seed: 1 });
          const what = `${optimizer}, n=${n} d=${d}${withLabels ? ', labels' : ''}`;
          equal(result.indices.length, 60, `${what}: picks`);
          noDuplicates(result.indices, n, what);
          for (let p = 0; p < result.gains.length; p++) ok(result.gains[p] >= 0 && Number.isFinite(result.gains[p]), `${what}: gains[${p}] = ${result.gains[p]}`);
          if (optimizer === 'stochastic') continue;
          for (let p = 1; p < result.gains.length; p++) {
            ok(result.gains[p] <= result.gains[p - 1] * (1 + 1e-9), `${what}: merged gains increase at ${p}: ${result.gains[p - 1]} then ${result.gains[p]}`);
          }
          for (const cls of withLabels ? [0, 1] : []) {
            const gains = Array.from(result.gains).filter((_, p) => labels[result.indices[p]] === cls);
            for (let p = 1; p < gains.length; p++) ok(gains[p] <= gains[p - 1] * (1 + 1e-9), `${what}: class ${cls} gains increase at ${p}: ${gains[p - 1]} then ${gains[p]}`);
          }
        }
      }
    }
  });
  /** 6 distinct rows, 50 exact copies of each, shuffled. */
  const duplicates = () => {
    const d = 4, distinct = 6, copies = 50;
    const base = blobs(distinct, d, 87, 6, 3);
    const order = permutation(distinct * copies, 13);
    const x = new Float32Array(distinct * copies * d);
    order.forEach((slot, i) => x.set(base.subarray((slot % distinct) * d, (slot % distinct + 1) * d), i * d));
    return { x, d, distinct, n: distinct * copies, labels: Int32Array.from({ length: distinct * copies }, (_, i) => i % 3) };
  };
  add('many exact duplicate rows: terminates with distinct indices and correct weights (more picks than distinct rows)', async () => {
    const { x, d, distinct, n, labels } = duplicates();
    for (const metric of METRICS) {
      for (const optimizer of OPTIMIZERS) {
        for (const withLabels of [false, true]) {
          for (const memoryBudget of [undefined, 0]) {
            const options = { dim: d, budget: 12, optimizer, metric, seed: 5, labels: withLabels ? labels : undefined, memoryBudget };
            const what = `${optimizer}, ${metric}${withLabels ? ', labels' : ''}${memoryBudget === 0 ? ', tiled' : ''}`;
            const result = await lib.selectCoreset(x, options);
            equal(result.indices.length, 12, `${what}: picks`);
            noDuplicates(result.indices, n, what);
            checkClusters(x, d, options.labels, result, metric, what);
            if (!withLabels && optimizer !== 'stochastic') {
              const rows = new Set(Array.from(result.indices.subarray(0, distinct), (i) => Array.from(x.subarray(i * d, (i + 1) * d)).join()));
              equal(rows.size, distinct, `${what}: the first ${distinct} picks cover every distinct row`);
            }
          }
        }
      }
    }
  });
  add('all-identical rows, and all-zero rows (cosine distance 1 between distinct rows, 0 to itself): distinct indices, weights and gains as the reference, on both paths', async () => {
    for (const fill of [0, 1.5]) {
      const same = new Float32Array(40 * 3).fill(fill);
      for (const metric of METRICS) {
        for (const optimizer of OPTIMIZERS) {
          for (const memoryBudget of [undefined, 0]) {
            const options = { dim: 3, budget: 5, optimizer, metric, memoryBudget };
            const what = `40 identical rows (${fill}), ${optimizer}, ${metric}${memoryBudget === 0 ? ', tiled' : ''}`;
            const result = await lib.selectCoreset(same, options);
            noDuplicates(result.indices, 40, what);
            checkClusters(same, 3, undefined, result, metric, what);
            sameAsReference(result, lib.referenceSelectCoreset(same, options), what, { x: same, dim: 3, metric });
          }
        }
      }
    }
  });
  add('exact duplicate rows are at distance 0: gains and cost equal the reference, copies of a picked row gain nothing', async () => {
    const { x, d, distinct } = duplicates();
    const failures: string[] = [];
    for (const metric of METRICS) {
      for (const optimizer of ['lazy', 'naive'] as const) {
        for (const memoryBudget of [undefined, 0]) try {
          const options = { dim: d, budget: 12, optimizer, metric, memoryBudget };
          const what = `${optimizer}, ${metric}${memoryBudget === 0 ? ', tiled' : ''}`;
          const result = await lib.selectCoreset(x, options);
          const expected = lib.referenceSelectCoreset(x, options);
          equal(expected.cost, 0, `reference ${what}: cost once every distinct row is picked`);
          sameAsReference(result, expected, what, { x, dim: d, metric });
          for (let p = distinct; p < result.gains.length; p++) {
            close(result.gains[p], 0, 0, `${what}: gains[${p}] (row ${result.indices[p]}, a copy of a picked row)`, 1e-6 * result.gains[0]);
          }
          close(result.cost, 0, 0, `${what}: cost once every distinct row is picked`, 1e-6 * result.gains[0]);
          close(await lib.facilityLocationCost(x, d, result.indices, metric), 0, 0, `${what}: facilityLocationCost of the picks`, 1e-6 * result.gains[0]);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    }
    if (failures.length > 0) fail(`${failures.length} of 12 runs failed:\n${failures.join('\n')}`);
  });
  add('the kernel module is reused across calls: two selections in a row, and two at once, are all correct', async () => {
    const a = blobs(300, 12, 88), b = blobs(250, 3, 89);
    const optionsA = { dim: 12, budget: 20, optimizer: 'lazy' }, optionsB = { dim: 3, budget: 15, optimizer: 'naive', metric: 'cosine' };
    const expectedA = lib.referenceSelectCoreset(a, optionsA), expectedB = lib.referenceSelectCoreset(b, optionsB);
    sameAsReference(await lib.selectCoreset(a, optionsA), expectedA, 'first call');
    sameAsReference(await lib.selectCoreset(b, optionsB), expectedB, 'second call');
    const [concurrentA, concurrentB] = await Promise.all([lib.selectCoreset(a, optionsA), lib.selectCoreset(b, optionsB)]);
    sameAsReference(concurrentA, expectedA, 'concurrent call A');
    sameAsReference(concurrentB, expectedB, 'concurrent call B');
  });
  add('large n never allocates n^2 up front: a small memoryBudget takes the tiled path and equals the dense result', async () => {
    const n = 2000, d = 16;
    const x = blobs(n, d, 90);
    for (const optimizer of ['lazy', 'stochastic'] as const) {
      const options = { dim: d, budget: 40, optimizer, seed: 8 };
      const dense = await lib.selectCoreset(x, options);
      equal(dense.path, 'dense', `${optimizer}: default path for n=${n}`);
      const tiled = await lib.selectCoreset(x, { ...options, memoryBudget: 1 << 20 }); // n^2 floats = 16 MB
      equal(tiled.path, 'tiled', `${optimizer}: path with a 1 MiB memoryBudget`);
      sameArray(tiled.indices, dense.indices, `${optimizer}: tiled vs dense indices`);
      sameArray(tiled.weights, dense.weights, `${optimizer}: tiled vs dense weights`);
      close(tiled.cost, dense.cost, COST_REL, `${optimizer}: tiled vs dense cost`);
      tiled.gains.forEach((g, p) => close(g, dense.gains[p], GAIN_REL, `${optimizer}: tiled vs dense gains[${p}]`));
    }
    // classes of 100 and 900 rows with room for 100 x 100 only: one dense block, one tiled
    const labels = interleavedLabels([100, 900], [0, 1], 14);
    const small = blobs(1000, 6, 91);
    const options = { dim: 6, labels, budget: 30, optimizer: 'lazy', memoryBudget: 100 * 100 * 4 };
    const mixed = await lib.selectCoreset(small, options);
    equal(mixed.path, 'dense+tiled', 'path with one class over the memory budget');
    sameAsReference(mixed, lib.referenceSelectCoreset(small, options), 'dense+tiled vs reference');
  });

  // 6. Bad input.
  add('NaN and Infinity are rejected with an AdacoreError naming the row', async () => {
    const x = blobs(20, 4, 92);
    const nan = Float32Array.from(x); nan[3 * 4 + 2] = NaN;
    await bothReject(lib, nan, { dim: 4, budget: 3 }, 'vectors', /row 3\b.*NaN/, 'NaN at row 3 (Float32Array)');
    const inf = Float64Array.from(x); inf[7 * 4] = Infinity;
    await bothReject(lib, inf, { dim: 4, budget: 3 }, 'vectors', /row 7\b.*Infinity/, 'Infinity at row 7 (Float64Array)');
    const nested = Array.from({ length: 20 }, (_, i) => Array.from(x.subarray(i * 4, (i + 1) * 4)));
    nested[11][1] = -Infinity;
    await bothReject(lib, nested, { budget: 3 }, 'vectors', /row 11\b.*-Infinity/, '-Infinity at row 11 (number[][])');
    nested[11][1] = NaN;
    await bothReject(lib, nested, { budget: 3 }, 'vectors', /row 11\b.*NaN/, 'NaN at row 11 (number[][])');
  });
  add('dim that does not divide the length, or is missing, is rejected', async () => {
    const x = new Float32Array(30).fill(1);
    await bothReject(lib, x, { dim: 7, budget: 2 }, 'dim', /30.*7|7.*30/, 'dim 7 for 30 values');
    await bothReject(lib, x, { budget: 2 }, 'dim', /required|dim/, 'no dim for a typed array');
    await bothReject(lib, x, { dim: 0, budget: 2 }, 'dim', /positive/, 'dim 0');
  });
  add('ragged number[][] is rejected naming the row', async () => {
    await bothReject(lib, [[1, 2, 3], [4, 5, 6], [7, 8], [1, 1, 1]], { budget: 2 }, 'vectors', /ragged.*row 2\b/, 'row 2 shorter');
    await bothReject(lib, [[1, 2], [4, 5], [7, 8], [1, 1, 1]], { budget: 2 }, 'vectors', /ragged.*row 3\b/, 'row 3 longer');
  });
  add('zero rows are rejected', async () => {
    await bothReject(lib, new Float32Array(0), { dim: 3, budget: 1 }, 'vectors', /zero rows/, 'an empty Float32Array');
    await bothReject(lib, [], { budget: 1 }, 'vectors', /zero rows/, 'an empty array');
  });
  add('budget 0, budget > n, budget 2.5, fraction 0 and fraction 1.5 are rejected', async () => {
    const x = blobs(10, 2, 93);
    await bothReject(lib, x, { dim: 2, budget: 0 }, 'budget', /at least 1/, 'budget 0');
    await bothReject(lib, x, { dim: 2, budget: 11 }, 'budget', /11.*10 rows/, 'budget 11 > 10 rows');
    await bothReject(lib, x, { dim: 2, budget: 2.5 }, 'budget', /integer/, 'budget 2.5');
    await bothReject(lib, x, { dim: 2, budget: -1 }, 'budget', /at least 1/, 'budget -1');
    await bothReject(lib, x, { dim: 2, fraction: 0 }, 'fraction', /\(0, 1\]/, 'fraction 0');
    await bothReject(lib, x, { dim: 2, fraction: 1.5 }, 'fraction', /\(0, 1\]/, 'fraction 1.5');
    await bothReject(lib, x, { dim: 2 }, 'budget', /budget|fraction/, 'neither budget nor fraction');
    const fraction = await lib.selectCoreset(x, { dim: 2, fraction: 0.3 });
    equal(fraction.indices.length, 3, 'fraction 0.3 of 10 rows');
    equal((await lib.selectCoreset(x, { dim: 2, fraction: 1 })).indices.length, 10, 'fraction 1');
  });
  add('labels of the wrong length or non-integer labels are rejected', async () => {
    const x = blobs(10, 2, 94);
    await bothReject(lib, x, { dim: 2, budget: 2, labels: [0, 1, 0] }, 'labels', /10.*3|3.*10/, '3 labels for 10 rows');
    await bothReject(lib, x, { dim: 2, budget: 2, labels: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0] }, 'labels', /10.*11|11.*10/, '11 labels for 10 rows');
    await bothReject(lib, x, { dim: 2, budget: 2, labels: [0, 1, 0, 1, 0.5, 1, 0, 1, 0, 1] }, 'labels', /label 4\b.*0\.5.*integer/, 'label 0.5');
    await bothReject(lib, x, { dim: 2, budget: 2, labels: [0, 1, 0, 1, 0, 1, NaN, 1, 0, 1] }, 'labels', /label 6\b.*NaN/, 'label NaN');
    await bothReject(lib, x, { dim: 2, budget: 2, labels: [0, 1, 2, 0, 1, 2, 0, 1, 2, 0] }, 'budget', /3 classes/, 'budget below the number of classes');
  });
  add('unknown metric or optimizer is rejected naming the allowed values', async () => {
    const x = blobs(10, 2, 95);
    await bothReject(lib, x, { dim: 2, budget: 2, metric: 'manhattan' }, 'metric', /"manhattan".*euclidean, sqeuclidean, cosine/, 'metric manhattan');
    await bothReject(lib, x, { dim: 2, budget: 2, optimizer: 'greedy' }, 'optimizer', /"greedy".*lazy, stochastic, naive/, 'optimizer greedy');
  });
  add("the caller's arrays are unchanged after a selection", async () => {
    const n = 120, d = 6;
    const f32 = blobs(n, d, 96);
    const f64 = Float64Array.from(f32, (v) => v * 3 + 1);
    const nested = Array.from({ length: n }, (_, i) => Array.from(f32.subarray(i * d, (i + 1) * d), (v) => v - 2));
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
    const plainLabels = Array.from(labels);
    const copies = { f32: Float32Array.from(f32), f64: Float64Array.from(f64), nested: nested.map((r) => r.slice()), labels: Int32Array.from(labels), plainLabels: plainLabels.slice() };
    for (const metric of METRICS) {
      for (const optimizer of OPTIMIZERS) {
        for (const memoryBudget of [undefined, 0]) {
          const options = { budget: 12, metric, optimizer, memoryBudget };
          await lib.selectCoreset(f32, { ...options, dim: d, labels });
          await lib.selectCoreset(f64, { ...options, dim: d });
          await lib.selectCoreset(nested, { ...options, labels: plainLabels });
          lib.referenceSelectCoreset(f32, { ...options, dim: d, labels });
          lib.referenceSelectCoreset(nested, { ...options, labels: plainLabels });
        }
      }
    }
    const result = await lib.selectCoreset(f32, { dim: d, budget: 12 });
    await lib.facilityLocationCost(f32, d, result.indices, 'cosine', labels);
    lib.gradientError(f64, d, result.indices, result.weights);
    sameArray(f32, copies.f32, 'Float32Array input');
    sameArray(f64, copies.f64, 'Float64Array input');
    nested.forEach((row, i) => sameArray(row, copies.nested[i], `number[][] row ${i}`));
    equal(nested.length, copies.nested.length, 'number[][] length');
    sameArray(labels, copies.labels, 'Int32Array labels');
    sameArray(plainLabels, copies.plainLabels, 'number[] labels');
  });

  // 7. AbortSignal and progress.
  add('an already-aborted signal rejects with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejects(() => lib.selectCoreset(blobs(50, 3, 97), { dim: 3, budget: 5, signal: controller.signal }), 'aborted signal');
    ok(isAbortError(error), `expected an AbortError, got ${(error as Error)?.name}: ${(error as Error)?.message}`);
    const reason = new AbortController();
    const custom = new Error('stop now');
    reason.abort(custom);
    const error2 = await rejects(() => lib.selectCoreset(blobs(50, 3, 97), { dim: 3, budget: 5, signal: reason.signal }), 'aborted with a reason');
    ok(error2 === custom || isAbortError(error2), `expected the abort reason or an AbortError, got ${(error2 as Error)?.name}: ${(error2 as Error)?.message}`);
  });
  add('aborting during a larger selection (n=3000, d=256, naive) rejects with an AbortError', async () => {
    // d = 256: the distance build alone spans several 30-ms slices on a fast machine (the
    // greedy's compacted rows can make the picks quick)
    const x = blobs(3000, 256, 98);
    const controller = new AbortController();
    const seen: Progress[] = [];
    const error = await rejects(() => lib.selectCoreset(x, {
      dim: 256, budget: 300, optimizer: 'naive', signal: controller.signal,
      onProgress: (progress: Progress) => { seen.push(progress); if (seen.length === 2) controller.abort(); },
    }), 'aborted during the selection');
    ok(isAbortError(error), `expected an AbortError, got ${(error as Error)?.name}: ${(error as Error)?.message}`);
    ok(seen.length >= 2, `onProgress should have run before the abort (${seen.length} calls)`);
    ok(seen.length <= 4, `the selection should stop soon after the abort, but onProgress ran ${seen.length} times`);
    // and from a timer, which fires only if the selection yields to the event loop
    const timed = timerAbort();
    const error2 = await rejects(() => lib.selectCoreset(x, {
      dim: 256, budget: 300, optimizer: 'naive', signal: timed.signal, onProgress: timed.onProgress,
    }), 'aborted by a timer').finally(timed.clear);
    ok(isAbortError(error2), `expected an AbortError from the timer abort, got ${(error2 as Error)?.name}: ${(error2 as Error)?.message}`);
  });
  add('onProgress is called with done <= total and selected <= budget', async () => {
    const x = blobs(1500, 32, 99);
    const labels = interleavedLabels([700, 800], [5, 2], 15);
    for (const optimizer of OPTIMIZERS) {
      const seen: Progress[] = [];
      const budget = 60;
      const result = await lib.selectCoreset(x, { dim: 32, labels, budget, optimizer, onProgress: (p: Progress) => seen.push({ ...p }) });
      ok(seen.length >= 1, `${optimizer}: onProgress never called`);
      for (const p of seen) {
        const what = `${optimizer}: progress ${JSON.stringify(p)}`;
        ok(['distances', 'bounds', 'greedy'].includes(p.phase), `${what}: phase`);
        ok(p.done >= 0 && p.done <= p.total, `${what}: done <= total`);
        ok(p.selected >= 0 && p.selected <= p.budget, `${what}: selected <= budget`);
        equal(p.budget, budget, `${what}: budget`);
        ok(p.classIndex >= 0 && p.classIndex < p.classCount && p.classCount === 2, `${what}: class index`);
      }
      for (let t = 1; t < seen.length; t++) ok(seen[t].selected >= seen[t - 1].selected, `${optimizer}: selected went down at call ${t}`);
      equal(seen[seen.length - 1].selected, budget, `${optimizer}: last progress call's selected`);
      equal(result.indices.length, budget, `${optimizer}: picks`);
    }
  });

  // 8. Quality measures.
  add('facilityLocationCost of the selection equals the returned cost (random data, every metric; Fashion slice per class)', async () => {
    const x = blobs(400, 10, 100);
    for (const metric of METRICS) {
      for (const optimizer of OPTIMIZERS) {
        const result = await lib.selectCoreset(x, { dim: 10, budget: 25, metric, optimizer });
        close(await lib.facilityLocationCost(x, 10, result.indices, metric), result.cost, 1e-4, `${optimizer}, ${metric}`);
      }
    }
    const { vectors, labels, dim } = fashion();
    for (const metric of METRICS) {
      const result = await lib.selectCoreset(vectors, { dim, labels, budget: 60, metric });
      close(await lib.facilityLocationCost(vectors, dim, result.indices, metric, labels), result.cost, 1e-4, `Fashion per class, ${metric}`);
    }
  });
  add('gradientError of the coreset is finite and below that of a seeded random subset of the same size (Fashion slice)', async () => {
    const { vectors, labels, dim, rows } = fashion();
    for (const [budget, withLabels] of [[30, false], [60, false], [60, true], [120, true]] as const) {
      const result = await lib.selectCoreset(vectors, { dim, budget, labels: withLabels ? labels : undefined });
      const error = lib.gradientError(vectors, dim, result.indices, result.weights);
      ok(Number.isFinite(error) && error >= 0, `budget ${budget}: gradientError ${error}`);
      // the mean of five seeded random subsets, each row weighted n / k
      let randomError = 0;
      for (let seed = 0; seed < 5; seed++) {
        const subset = permutation(rows, 500 + seed).subarray(0, budget);
        randomError += lib.gradientError(vectors, dim, subset, new Float32Array(budget).fill(rows / budget)) / 5;
      }
      ok(error < randomError, `budget ${budget}${withLabels ? ' per class' : ''}: coreset gradientError ${error} should be below a random subset's ${randomError}`);
    }
  });

  // 9. AdaCore, CRAIG and random selectors (gradients from a seeded linear model on the slice).
  const fashionBatch = (seed: number) => {
    const { rows, dim, vectors, labels } = fashion();
    const normal = gaussian(random(seed));
    const weights = Float32Array.from({ length: dim * 10 }, () => normal() * 0.05);
    const logits = new Float32Array(rows * 10);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < dim; j++) {
        const x = vectors[i * dim + j];
        if (x !== 0) for (let c = 0; c < 10; c++) logits[i * 10 + c] += x * weights[j * 10 + c];
      }
    }
    return { batch: lib.softmaxCrossEntropyFromLogits(logits, rows, 10, labels), labels };
  };

  add('AdaCore selector: two rounds keep the EMA of D^2 (bias-corrected), weights sum to n, class budgets exact, same result in every runtime', async () => {
    const first = fashionBatch(1), second = fashionBatch(2);
    const selector = new lib.AdaCoreSelector();
    await selector.select(first.batch, { labels: first.labels, fraction: 0.1 });
    const result = await selector.select(second.batch, { labels: second.labels, fraction: 0.1 });
    equal(result.method, 'adacore', 'method');
    equal(result.round, 2, 'round');
    const n = first.batch.rows;
    close(result.weights.reduce((a, b) => a + b, 0), n, 0, 'weights sum to n');
    const sizes = new Map<number, number>(), picked = new Map<number, number>();
    for (const label of first.labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
    for (const i of result.indices) picked.set(first.labels[i], (picked.get(first.labels[i]) ?? 0) + 1);
    const classes = [...sizes.keys()].sort((a, b) => a - b);
    sameArray(classes.map((c) => picked.get(c) ?? 0), lib.classBudgets(classes.map((c) => sizes.get(c)!), result.budget), 'per-class counts');
    const state = selector.state!;
    const beta = 0.9;
    for (const k of [0, 17, 1234, n * 10 - 1]) {
      const d1 = first.batch.hessianDiagonals![k], d2 = second.batch.hessianDiagonals![k];
      close(state.secondMoment[k], beta * (1 - beta) * d1 * d1 + (1 - beta) * d2 * d2, 1e-5, `V[${k}]`, 1e-12);
    }
    close(state.biasCorrection, 1 - beta * beta, 1e-12, 'bias correction 1 - beta^2');
    // the same in Node, Deno and Chromium: a fingerprint of this deterministic selection
    let fingerprint = 0;
    result.indices.forEach((index, p) => { fingerprint = (Math.imul(fingerprint, 31) + index * 7 + result.weights[p]) | 0; });
    equal(fingerprint, ADACORE_FINGERPRINT, 'fingerprint of indices and weights (computed once in Node)');
  });

  add('the source option: select({ fraction }) takes each round\'s batch from it (round numbers 1, 2; sync or async), the same as passing the batch; errors name source', async () => {
    const batches = [fashionBatch(1), fashionBatch(2)];
    for (const method of ['adacore', 'craig', 'random']) {
      const rounds: number[] = [];
      const fromSource = lib.createSelector(method, {
        seed: 3,
        // the first round's batch synchronously, the second's through a Promise
        source: (round: number) => { rounds.push(round); return round === 1 ? batches[0].batch : Promise.resolve(batches[1].batch); },
      });
      const direct = lib.createSelector(method, { seed: 3 });
      for (const { batch, labels } of batches) {
        const a = await fromSource.select({ labels, fraction: 0.1 });
        const b = await direct.select(batch, { labels, fraction: 0.1 });
        sameArray(a.indices, b.indices, `${method}: indices from the source vs the batch`);
        sameArray(a.weights, b.weights, `${method}: weights from the source vs the batch`);
        equal(a.round, b.round, `${method}: round`);
      }
      sameArray(rounds, [1, 2], `${method}: the source was called once per round with its number`);
      // a batch passed explicitly wins over the source (which is then not called)
      await fromSource.select(batches[0].batch, { labels: batches[0].labels, fraction: 0.1 });
      sameArray(rounds, [1, 2], `${method}: an explicit batch does not call the source`);
    }
    const labels = batches[0].labels;
    const none = await rejects(() => lib.createSelector('adacore').select({ labels, fraction: 0.1 }), 'no batch and no source');
    expectAdacoreError(lib, none, 'source', /no gradient batch and the selector has no source option/, 'no batch and no source');
    const notFunction = await rejects(async () => lib.createSelector('craig', { source: batches[0].batch }), 'a source that is not a function');
    expectAdacoreError(lib, notFunction, 'source', /expected a function \(round\) => GradientBatch/, 'a source that is not a function');
    const returnsNothing = await rejects(() => new lib.AdaCoreSelector({ source: () => undefined }).select({ labels, fraction: 0.1 }), 'a source returning nothing');
    expectAdacoreError(lib, returnsNothing, 'source', /returned undefined for round 1/, 'a source returning nothing');
    // what the source returns is checked like a batch passed in: here, a NaN gradient
    const bad = fashionBatch(1).batch;
    bad.gradients[25] = NaN;
    const nan = await rejects(() => new lib.AdaCoreSelector({ source: () => bad }).select({ labels, fraction: 0.1 }), 'a source with a NaN');
    expectAdacoreError(lib, nan, 'gradients', /row 2/, 'a NaN from the source names the row');
  });

  add('AdaCore and CRAIG selectors: partitioned by default, threads 2 = threads 1, lazy on request', async () => {
    const { batch, labels } = fashionBatch(5);
    // the slice's classes (about 60 rows) are below partitionSize: force parts to exercise the optimizer
    const options = { partitionSize: 20 };
    try {
      for (const method of ['adacore', 'craig']) {
        const one = await lib.createSelector(method, options).select(batch, { labels, fraction: 0.2 });
        const two = await lib.createSelector(method, { ...options, threads: 2 }).select(batch, { labels, fraction: 0.2 });
        equal(one.optimizer, 'partitioned', `${method}: default optimizer`);
        equal(two.threads, lib.workersAvailable() ? 2 : 1, `${method}: threads`);
        sameArray(two.indices, one.indices, `${method}: indices with 2 threads`);
        sameArray(two.weights, one.weights, `${method}: weights with 2 threads`);
        const lazy = await lib.createSelector(method, { ...options, optimizer: 'lazy' }).select(batch, { labels, fraction: 0.2 });
        equal(lazy.optimizer, 'lazy', `${method}: optimizer on request`);
      }
    } finally {
      lib.releaseWorkers();
    }
  });
  add('partitioned, in-thread: an abort from a timer during the selection rejects with an AbortError', async () => {
    const x = blobs(12000, 16, 4949);
    const abort = timerAbort();
    const pending = lib.selectCoreset(x, {
      dim: 16, budget: 1200, optimizer: 'partitioned', partitionSize: 1000, signal: abort.signal, onProgress: abort.onProgress,
    });
    const error = await rejects(() => pending, 'aborted partitioned selection').finally(abort.clear);
    ok(isAbortError(error), `expected an AbortError, got ${error?.name}: ${error?.message}`);
  });

  add('AdaCore with hessianPower 0 selects what CRAIG selects', async () => {
    const { batch, labels } = fashionBatch(3);
    const adacore = await new lib.AdaCoreSelector({ hessianPower: 0 }).select(batch, { labels, fraction: 0.1 });
    const craig = await lib.createSelector('craig').select(batch, { labels, fraction: 0.1 });
    sameArray(adacore.indices, craig.indices, 'indices');
    sameArray(adacore.weights, craig.weights, 'weights');
  });

  add('random selector: seeded, per-class exact, weights n_c / k_c summing to n; a reused selector draws anew', async () => {
    const { batch, labels } = fashionBatch(4);
    const a = await lib.createSelector('random', { seed: 9 }).select(batch, { labels, fraction: 0.1 });
    const b = await lib.createSelector('random', { seed: 9 }).select(batch, { labels, fraction: 0.1 });
    sameArray(a.indices, b.indices, 'same seed, same rows');
    close(a.weights.reduce((x, y) => x + y, 0), batch.rows, 1e-6, 'weights sum to n');
    equal(new Set(a.indices).size, a.indices.length, 'distinct rows');
    const reused = lib.createSelector('random', { seed: 9 });
    await reused.select(batch, { labels, fraction: 0.1 });
    const again = await reused.select(batch, { labels, fraction: 0.1 });
    ok(Array.from(again.indices).some((v, i) => v !== a.indices[i]), 'a second round draws a different subset');
  });

  return list;
}

/** Run every case, never throwing: what the Workers post back (and a quick runner for any host). */
export async function runAll(lib: Lib, onResult?: (result: CaseResult) => void): Promise<CaseResult[]> {
  return runCases(cases(lib), onResult);
}

/** Run cases in order, never throwing; a case with `skip` is reported as skipped, not run. */
export async function runCases(list: (Case & { skip?: string })[], onResult?: (result: CaseResult) => void): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of list) {
    const started = Date.now();
    let result: CaseResult;
    if (c.skip) result = { name: c.name, ok: true, skipped: c.skip, ms: 0 };
    else {
      try {
        await c.run();
        result = { name: c.name, ok: true, ms: Date.now() - started };
      } catch (error) {
        const e = error as Error;
        result = { name: c.name, ok: false, ms: Date.now() - started, error: e?.stack?.includes(e.message) ? e.stack : `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` };
      }
    }
    results.push(result);
    onResult?.(result);
  }
  return results;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  ms: number;
  skipped?: string;
  error?: string;
}

