// The inputs of the property tests (test/shared/cases/properties.ts, test/node/properties.test.ts):
// fast-check arbitraries of plain records (shape, data kind, labels, budget, metric, optimizer,
// seed, path), and build(), which turns a record into rows, labels and options. The rows come from
// the record's data seed through test/shared/data.ts's generator, so a counterexample is a small
// record that fast-check can shrink and anyone can rebuild. Runtime-neutral: fast-check is a bare
// import (Node and the browser resolve it from node_modules, Deno through test/deno/deno.json).
import fc from 'fast-check';
import { gaussian, random } from '../data.ts';
import type { Options } from '../cases/types.ts';

export const METRIC_NAMES = ['euclidean', 'sqeuclidean', 'cosine'] as const;
export const ALL_OPTIMIZERS = ['lazy', 'naive', 'stochastic', 'partitioned', 'spatial', 'proportional', 'auto'] as const;
export const PART_BASED = new Set(['partitioned', 'spatial', 'proportional']);
export type MetricName = (typeof METRIC_NAMES)[number];
export type OptimizerName = (typeof ALL_OPTIMIZERS)[number];

/**
 * blobs: Gaussian clusters (continuous values: exact ties in distance or gain are structural only);
 * grid: integer coordinates in [-2, 2] (many duplicates and exact ties);
 * duplicates: copies of 1 to 5 distinct blob rows; identical: one row repeated (sometimes the zero row);
 * exact: small integers, each class symmetric about 0 (see exactInputs), so that under sqeuclidean
 * every number the kernels compute is an integer that float32 holds exactly.
 */
export type DataKind = 'blobs' | 'grid' | 'duplicates' | 'identical' | 'exact';

export interface Input {
  kind: DataKind;
  n: number;
  d: number;
  dataSeed: number;
  /** Blob clusters (1..6) or distinct rows of `duplicates` (1..5). */
  clusters: number;
  /** Cluster spread (blobs), in (0, 1]. */
  spread: number;
  /** Every value is multiplied by 10^scaleExponent, then `offset` is added. */
  scaleExponent: number;
  offset: number;
  /** Number of classes; 0: no labels. */
  classes: number;
  labelSeed: number;
  /** Where the budget lies in [classes (or 1), n]: 0 the least, 1 all rows. */
  budgetFraction: number;
  metric: MetricName;
  optimizer: OptimizerName;
  seed: number;
  /** blockMemory 0 (distances tile by tile) instead of the dense block. */
  tiled: boolean;
  partitionSize: number;
  /** exact inputs: each class's number of pairs (v, -v) besides its two anchor rows. */
  halves?: number[];
}

export interface Built {
  input: Input;
  x: Float32Array;
  n: number;
  d: number;
  labels: Int32Array | undefined;
  budget: number;
  /** selectCoreset's options: dim, labels, budget, metric, optimizer, seed, blockMemory, partitionSize. */
  options: Options;
}

/** The rows of an input (n x d, row-major). */
export function rowsOf(input: Input): Float32Array {
  const { n, d, kind } = input;
  const uniform = random(input.dataSeed);
  const normal = gaussian(uniform);
  const scale = 10 ** input.scaleExponent;
  const x = new Float32Array(n * d);
  const blob = (count: number): number[][] => {
    const centres = Array.from({ length: input.clusters }, () => Array.from({ length: d }, () => 6 * (uniform() - 0.5)));
    return Array.from({ length: count }, () => {
      const centre = centres[Math.floor(uniform() * centres.length)];
      return centre.map((c) => c + input.spread * normal());
    });
  };
  let rows: number[][];
  if (kind === 'exact') rows = exactRows(input).rows;
  else if (kind === 'blobs') rows = blob(n);
  else if (kind === 'grid') rows = Array.from({ length: n }, () => Array.from({ length: d }, () => Math.floor(uniform() * 5) - 2));
  else if (kind === 'duplicates') {
    const distinct = blob(input.clusters);
    rows = Array.from({ length: n }, () => distinct[Math.floor(uniform() * distinct.length)]);
  } else {
    const one = uniform() < 0.25 ? new Array<number>(d).fill(0) : blob(1)[0];
    rows = Array.from({ length: n }, () => one);
  }
  // the offset only with unit or larger scales: 1000 + 0.01 x leaves float32 too few levels
  const offset = input.scaleExponent >= 0 ? input.offset : 0;
  rows.forEach((row, i) => row.forEach((v, j) => { x[i * d + j] = v * scale + offset; }));
  return x;
}

/** Labels of an input: every class present, the rest random, values unsorted (3, -2, 8, ...). */
export function labelsOf(input: Input): Int32Array | undefined {
  const { n, classes } = input;
  if (classes === 0) return undefined;
  if (input.kind === 'exact') return exactRows(input).labels;
  const uniform = random(input.labelSeed);
  const ids = Array.from({ length: n }, (_, i) => (i < classes ? i : Math.floor(uniform() * classes)));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = ids[i]; ids[i] = ids[j]; ids[j] = t;
  }
  const values = [3, -2, 8, 0, 5];
  return Int32Array.from(ids, (c) => values[c]);
}

export function budgetOf(input: Input): number {
  const least = Math.max(1, input.classes);
  return Math.min(input.n, least + Math.floor(input.budgetFraction * (input.n - least + 1)));
}

export function build(input: Input): Built {
  const x = rowsOf(input);
  const labels = labelsOf(input);
  const budget = budgetOf(input);
  const options: Options = {
    dim: input.d, budget, metric: input.metric, optimizer: input.optimizer, seed: input.seed,
    ...(labels ? { labels } : {}), ...(input.tiled ? { blockMemory: 0 } : {}),
    ...(PART_BASED.has(input.optimizer) ? { partitionSize: input.partitionSize } : {}),
  };
  return { input, x, n: input.n, d: input.d, labels, budget, options };
}

/** A readable one-line description of an input, for failure messages. */
export function describe(input: Input): string {
  return JSON.stringify(input);
}

export interface InputRanges {
  /** Largest n (default 120). */
  maxN?: number;
  /** Data kinds to draw from (default all). */
  kinds?: readonly DataKind[];
  /** Optimizers to draw from (default all, auto included). */
  optimizers?: readonly OptimizerName[];
  /** Metrics to draw from (default all). */
  metrics?: readonly MetricName[];
  /** Largest number of classes (default 4; 0 forbids labels). */
  maxClasses?: number;
  /** Whether the tiled path may be drawn (default true). */
  tiled?: boolean;
}

/**
 * Inputs over the given ranges. n in [1, maxN], biased small; d in [1, 24] (both sides of the
 * kernels' width-16 switch from difference to Gram form); values scaled by 10^[-2, 3] and
 * sometimes offset by 1000 (centring); budgets from the least allowed to n, half of them under
 * 15 % of the range (where the part-based optimizers really split); partitionSize in [2, 64].
 */
export function inputs(ranges: InputRanges = {}): fc.Arbitrary<Input> {
  const maxN = ranges.maxN ?? 120;
  const kinds = ranges.kinds ?? (['blobs', 'blobs', 'grid', 'duplicates', 'identical'] as const);
  const maxClasses = ranges.maxClasses ?? 4;
  return fc.record({
    kind: fc.constantFrom(...kinds),
    n: fc.oneof({ arbitrary: fc.integer({ min: 1, max: Math.min(maxN, 24) }), weight: 1 }, { arbitrary: fc.integer({ min: 1, max: maxN }), weight: 2 }),
    d: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 24 })),
    dataSeed: fc.nat({ max: 0xffff }),
    clusters: fc.integer({ min: 1, max: 6 }),
    spread: fc.double({ min: 0.05, max: 1, noNaN: true }),
    scaleExponent: fc.integer({ min: -2, max: 3 }),
    offset: fc.constantFrom(0, 0, 0, 1000),
    classes: maxClasses === 0 ? fc.constant(0) : fc.integer({ min: 0, max: maxClasses }),
    labelSeed: fc.nat({ max: 0xffff }),
    budgetFraction: fc.oneof(fc.double({ min: 0, max: 0.15, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
    metric: fc.constantFrom(...(ranges.metrics ?? METRIC_NAMES)),
    optimizer: fc.constantFrom(...(ranges.optimizers ?? ALL_OPTIMIZERS)),
    seed: fc.nat(),
    tiled: ranges.tiled === false ? fc.constant(false) : fc.boolean(),
    partitionSize: fc.integer({ min: 2, max: 64 }),
  }).map((input): Input => ({ ...input, classes: Math.min(input.classes, input.n) }));
}

/**
 * Inputs on which float32 computes what float64 does. Under sqeuclidean with small integer rows
 * whose class means are exactly 0, the centred rows are the rows themselves, every squared norm,
 * distance and gain is an integer far below 2^24, and C is exact if the largest squared norm is a
 * perfect square: each class holds the anchors (2, 0, ...) and (-2, 0, ...), squared norm 4, and
 * pairs v, -v with v in {-1, 0, 1}^d, d <= 4 (squared norm at most 4), so C = (2 * 2)^2 = 16.
 * The kernels must then equal the float64 reference bit for bit with every optimizer, ties
 * included, which tests the tie rule itself: these rows are full of duplicates and equal gains.
 */
export function exactInputs(ranges: { optimizers?: readonly OptimizerName[] } = {}): fc.Arbitrary<Input> {
  return fc.record({
    classes: fc.constantFrom(0, 1, 2, 3),
    halves: fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 3, maxLength: 3 }),
    d: fc.integer({ min: 1, max: 4 }),
    dataSeed: fc.nat({ max: 0xffff }),
    budgetFraction: fc.oneof(fc.double({ min: 0, max: 0.25, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
    optimizer: fc.constantFrom(...(ranges.optimizers ?? ALL_OPTIMIZERS)),
    seed: fc.nat(),
    tiled: fc.boolean(),
    partitionSize: fc.integer({ min: 2, max: 16 }),
  }).map(({ classes, halves, ...rest }): Input => {
    const used = halves.slice(0, Math.max(1, classes));
    return {
      ...rest, kind: 'exact', halves: used, n: used.reduce((sum, h) => sum + 2 * h + 2, 0), classes, metric: 'sqeuclidean',
      labelSeed: 0, clusters: 1, spread: 1, scaleExponent: 0, offset: 0,
    };
  });
}

/** The rows and labels of an exact input (see exactInputs), shuffled together. */
function exactRows(input: Input): { rows: number[][]; labels: Int32Array } {
  const uniform = random(input.dataSeed);
  const anchor = Array.from({ length: input.d }, (_, j) => (j === 0 ? 2 : 0));
  const rows: number[][] = [], ids: number[] = [];
  (input.halves ?? [0]).forEach((h, c) => {
    const add = (row: number[]) => { rows.push(row); ids.push(c); };
    add(anchor); add(anchor.map((v) => -v));
    for (let t = 0; t < h; t++) {
      const v = Array.from({ length: input.d }, () => Math.floor(uniform() * 3) - 1);
      add(v); add(v.map((x) => -x));
    }
  });
  const order = Array.from(rows.keys());
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  const values = [3, -2, 8, 0, 5];
  return { rows: order.map((i) => rows[i]), labels: Int32Array.from(order, (i) => values[ids[i]]) };
}
