// What the shared cases check with: comparison with the float64 reference (sameAsReference, which
// tells a true tie from a divergence), exact cluster weights, AdacoreError checks, aborts, labels.
import { close, equal, ok, rejects, sameArray, throws } from '../assert.ts';
import { permutation } from '../data.ts';
import type { Case, Coreset, Lib, Options, Vectors } from './types.ts';

export const METRICS = ['euclidean', 'sqeuclidean', 'cosine'] as const;
export const OPTIMIZERS = ['lazy', 'stochastic', 'naive'] as const;
/** Tolerances of the WASM (float32 kernels) vs reference (float64) comparison. */
export const COST_REL = 1e-5;
export const GAIN_REL = 1e-5;

/** A topic file's list of cases and the add(name, run) that appends to it. */
export function caseList(): { list: Case[]; add: (name: string, run: () => Promise<void>) => void } {
  const list: Case[] = [];
  const add = (name: string, run: () => Promise<void>) => { list.push({ name, run }); };
  return { list, add };
}

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
  const minDist = members.map((i) => Math.min(...prefix.map((j) => distance(x, dim, i, j, metric))));
  const gain = (c: number) => members.reduce((sum, i, t) => sum + Math.max(0, minDist[t] - distance(x, dim, i, c, metric)), 0);
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
export function sameAsReference(
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

/** Bit for bit the same selection (the optimizer and the evaluations aside). */
export function sameSelection(actual: Coreset, expected: Coreset, what: string): void {
  sameArray(actual.indices, expected.indices, `${what}: indices`);
  sameArray(actual.weights, expected.weights, `${what}: weights`);
  sameArray(actual.gains, expected.gains, `${what}: gains`);
  equal(actual.cost, expected.cost, `${what}: cost`);
  equal(actual.path, expected.path, `${what}: path`);
}

/** Two WASM results that must be bit-identical (same input, same options). */
export function identical(actual: Coreset, expected: Coreset, what: string): void {
  sameSelection(actual, expected, what);
  equal(actual.evaluations, expected.evaluations, `${what}: evaluations`);
}

export function noDuplicates(indices: ArrayLike<number>, n: number, what: string): void {
  const seen = new Set<number>();
  for (let p = 0; p < indices.length; p++) {
    const i = indices[p];
    ok(Number.isInteger(i) && i >= 0 && i < n, `${what}: indices[${p}] = ${i} is not a row in 0..${n - 1}`);
    ok(!seen.has(i), `${what}: row ${i} selected twice (indices[${p}])`);
    seen.add(i);
  }
}

/** Sorted distinct label values (the library's class order) and each row's class id. */
export function classesOf(labels: ArrayLike<number>): { values: number[]; classOf: Int32Array; sizes: number[] } {
  const values = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const id = new Map(values.map((v, c) => [v, c]));
  const classOf = Int32Array.from(Array.from(labels), (v) => id.get(v)!);
  const sizes = values.map(() => 0);
  for (const c of classOf) sizes[c]++;
  return { values, classOf, sizes };
}

/** Exact float64 distance, as docs/algorithms.md section 3.5 defines it: a row is at 0 from itself, and a zero row at cosine distance 1 from every other row. */
export function distance(x: ArrayLike<number>, dim: number, a: number, b: number, metric: string): number {
  if (a === b) return 0;
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
export function checkClusters(x: ArrayLike<number>, dim: number, labels: ArrayLike<number> | undefined, result: Coreset, metric: string, what: string): void {
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

export function expectAdacoreError(lib: Lib, error: Error, argument: string, pattern: RegExp, what: string): void {
  ok(error instanceof lib.AdacoreError, `${what}: expected an AdacoreError, got ${error?.name}: ${error?.message}`);
  equal(error.name, 'AdacoreError', `${what}: error name`);
  equal((error as Error & { argument: string }).argument, argument, `${what}: error.argument (message: ${error.message})`);
  ok(error.message.startsWith(`${argument}: `), `${what}: message should start with "${argument}: ", got ${JSON.stringify(error.message)}`);
  ok(pattern.test(error.message), `${what}: message ${JSON.stringify(error.message)} should match ${pattern}`);
}

/** Both the WASM path (rejects) and the reference (throws) refuse the input the same way. */
export async function bothReject(lib: Lib, vectors: Vectors, options: Options, argument: string, pattern: RegExp, what: string): Promise<void> {
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
export function timerAbort(): { signal: AbortSignal; onProgress: () => void; clear: () => void } {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    signal: controller.signal,
    onProgress: () => { timer ??= setTimeout(() => controller.abort(), 0); },
    clear: () => clearTimeout(timer),
  };
}

export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Error).name === 'AbortError';
}

/** Labels with values 40, 3, 17 ... in a seeded random order (classes interleaved, unsorted). */
export function interleavedLabels(sizes: number[], values: number[], seed: number): Int32Array {
  const labels: number[] = [];
  sizes.forEach((size, c) => { for (let t = 0; t < size; t++) labels.push(values[c]); });
  const order = permutation(labels.length, seed);
  return Int32Array.from(order, (i) => labels[i]);
}
