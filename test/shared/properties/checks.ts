// The property checks on one selection (test/shared/properties/relations.ts compares selections
// with each other): what every selectCoreset result must satisfy whatever the shape, data, budget,
// labels, metric, optimizer, seed and path. Everything is recomputed here in float64 from the
// rows, independently of the library. Runtime-neutral (no node:, Deno. or vitest).
import { close, equal, fail, ok } from '../assert.ts';
import { classesOf as classesOfLabels, distance } from '../cases/helpers.ts';
import type { Coreset, Lib } from '../cases/types.ts';
import { describe, type Built } from './inputs.ts';

export interface Classes {
  /** Each row's class id (ascending label value), 0 without labels. */
  classOf: Int32Array;
  /** The rows of each class, ascending. */
  members: number[][];
  sizes: number[];
}

export function classesOf(built: Built): Classes {
  const { classOf, sizes } = classesOfLabels(built.labels ?? new Int32Array(built.n));
  const members = sizes.map(() => [] as number[]);
  for (let i = 0; i < built.n; i++) members[classOf[i]].push(i);
  return { classOf, members, sizes };
}

/** C of a class as the library bounds it (docs/algorithms.md section 1.3), in float64. */
export function emptyDistanceOf(x: ArrayLike<number>, d: number, members: number[], metric: string): number {
  if (metric === 'cosine') return 2;
  const mean = new Float64Array(d);
  for (const i of members) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / members.length;
  let radius = 0;
  for (const i of members) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (x[i * d + j] - mean[j]) ** 2;
    radius = Math.max(radius, s);
  }
  return metric === 'euclidean' ? 2 * Math.sqrt(radius) : 4 * radius;
}

/**
 * How far a float32 kernel distance may be from the exact one, absolutely: 2e-5 of C. The Gram
 * form |a|^2 + |b|^2 - 2 a.b is used only above 1/4096 of |a|^2 + |b|^2 (closer pairs are
 * recomputed from a - b), which bounds its error near 128 float32 ulps of the radius.
 */
export function distanceTolerance(C: number): number {
  return 2e-6 * C + 1e-30;
}

/** A class's picks in greedy order (the merge keeps each class's own order): rows, gains, weights. */
export function picksOfClass(result: Coreset, classOf: Int32Array, c: number): { rows: number[]; gains: number[]; weights: number[] } {
  const rows: number[] = [], gains: number[] = [], weights: number[] = [];
  result.indices.forEach((row, p) => {
    if (classOf[row] !== c) return;
    rows.push(row); gains.push(result.gains[p]); weights.push(result.weights[p]);
  });
  return { rows, gains, weights };
}

export interface ClusterBounds {
  /** Per class: the weights' lower and upper bounds, by position in the class's picks. */
  low: number[][];
  high: number[][];
  /** Rows of each class whose nearest pick is within float32 error of another pick. */
  ambiguous: number[];
  /** Per class, the exact float64 cost (each row's distance to its nearest pick of its class). */
  cost: number[];
}

/**
 * Weight bounds from float64 cluster sizes: a row counts towards its nearest pick of its class
 * (a pick towards itself); a row whose two nearest picks are within float32 error of each other
 * may count towards either, so it widens both bounds instead of being assigned.
 */
export function clusterBounds(built: Built, result: Coreset, classes: Classes): ClusterBounds {
  const { x, d } = built;
  const metric = built.options.metric as string;
  const out: ClusterBounds = { low: [], high: [], ambiguous: [], cost: [] };
  classes.members.forEach((members, c) => {
    const picks = picksOfClass(result, classes.classOf, c).rows;
    const position = new Map(picks.map((row, p) => [row, p]));
    const low = picks.map(() => 0), high = picks.map(() => 0);
    const tolerance = distanceTolerance(emptyDistanceOf(x, d, members, metric));
    let ambiguous = 0, cost = 0;
    for (const i of members) {
      if (position.has(i)) { low[position.get(i)!]++; high[position.get(i)!]++; continue; }
      const distances = picks.map((j) => distance(x, d, i, j, metric));
      const best = Math.min(...distances);
      cost += best;
      const near = distances.flatMap((dist, p) => (dist <= best + 2 * tolerance + 1e-6 * best ? [p] : []));
      if (near.length === 1) low[near[0]]++;
      else ambiguous++;
      for (const p of near) high[p]++;
    }
    out.low.push(low); out.high.push(high); out.ambiguous.push(ambiguous); out.cost.push(cost);
  });
  return out;
}

/** Tolerance of a whole cost: every row's distance within distanceTolerance, summed. */
export function costTolerance(built: Built, classes: Classes): number {
  return classes.members.reduce((sum, m) => sum + m.length * distanceTolerance(emptyDistanceOf(built.x, built.d, m, built.options.metric as string)), 0);
}

/**
 * What every selection must satisfy: exactly the budget (classBudgets per class), distinct rows
 * in range, positive integral weights summing to each class's size, finite non-negative gains and
 * cost, the cost as facilityLocationCost and float64 give it, weights within their cluster bounds;
 * greedy gains non-increasing per class (lazy, naive); the closed forms of all-identical rows.
 */
export async function checkSelection(lib: Lib, built: Built, result: Coreset, what = ''): Promise<ClusterBounds> {
  const { n, budget, x, d, labels, input } = built;
  const metric = built.options.metric as string;
  const at = `${what}${describe(input)}`;
  equal(result.indices.length, budget, `${at}: number of picks`);
  equal(result.weights.length, budget, `${at}: number of weights`);
  equal(result.gains.length, budget, `${at}: number of gains`);
  equal(result.budget, budget, `${at}: reported budget`);
  const seen = new Set<number>();
  result.indices.forEach((i, p) => {
    ok(Number.isInteger(i) && i >= 0 && i < n, `${at}: indices[${p}] = ${i} is not a row in 0..${n - 1}`);
    ok(!seen.has(i), `${at}: row ${i} selected twice`);
    seen.add(i);
  });

  const classes = classesOf(built);
  const expected = labels ? lib.classBudgets(classes.sizes, budget) : [budget];
  equal(expected.reduce((a, b) => a + b, 0), budget, `${at}: classBudgets sum`);
  classes.members.forEach((members, c) => {
    const picks = picksOfClass(result, classes.classOf, c);
    ok(expected[c] >= 1 && expected[c] <= members.length, `${at}: class ${c}'s budget ${expected[c]} is outside 1..${members.length}`);
    equal(picks.rows.length, expected[c], `${at}: picks of class ${c} (classBudgets(${classes.sizes}, ${budget}))`);
    let sum = 0;
    picks.weights.forEach((w, p) => {
      ok(Number.isInteger(w) && w >= 1, `${at}: class ${c} weight ${p} = ${w} is not a positive integer`);
      sum += w;
    });
    equal(sum, members.length, `${at}: class ${c}'s weights sum to its size`);
  });
  equal(Array.from(result.weights).reduce((a, b) => a + b, 0), n, `${at}: the weights sum to n`);
  result.gains.forEach((g, p) => ok(Number.isFinite(g) && g >= 0, `${at}: gains[${p}] = ${g} is not finite and non-negative`));
  ok(Number.isFinite(result.cost) && result.cost >= 0, `${at}: cost ${result.cost} is not finite and non-negative`);

  const bounds = clusterBounds(built, result, classes);
  const tolerance = costTolerance(built, classes);
  const exact = bounds.cost.reduce((a, b) => a + b, 0);
  close(result.cost, exact, 1e-4, `${at}: cost against float64`, tolerance);
  const measured = await lib.facilityLocationCost(x, d, result.indices, metric, labels);
  close(measured, result.cost, 1e-5, `${at}: facilityLocationCost of the picks against the reported cost`, tolerance);
  classes.members.forEach((_, c) => {
    const { weights, rows } = picksOfClass(result, classes.classOf, c);
    weights.forEach((w, p) => {
      const low = bounds.low[c][p], high = bounds.high[c][p];
      if (w < low || w > high) fail(`${at}: class ${c}, pick ${p} (row ${rows[p]}) weighs ${w}; its cluster holds ${low} to ${high} rows`);
    });
  });

  // Greedy gains never rise: a gain evaluated later is a float32 sum of excesses that only shrank
  // (rounding is monotone), so from the second pick on this is exact. The first pick also takes
  // the rows no pick owns yet whatever their distance, and a float32 distance can exceed C (a
  // float64 bound rounded to float32, reached when two rows realise it: two rows alone, or at
  // both ends of a line) by an ulp, so the second gain may exceed the first by float32 rounding.
  if (result.optimizer === 'lazy' || result.optimizer === 'naive') {
    classes.members.forEach((members, c) => {
      const { gains } = picksOfClass(result, classes.classOf, c);
      const slack = members.length * 2 ** -22 * emptyDistanceOf(x, d, members, metric);
      for (let p = 1; p < gains.length; p++) {
        ok(gains[p] <= gains[p - 1] + (p === 1 ? slack : 0), `${at}: class ${c} gains rise at pick ${p}: ${gains[p - 1]} then ${gains[p]}`);
      }
    });
  }
  if (input.kind === 'identical') checkIdentical(built, result, classes, at);
  return bounds;
}

/**
 * All rows equal: every distance is 0, except cosine on the zero row (distance 1 between distinct
 * zero rows). Either way a class's first pick takes every row not picked (ties go to the earlier
 * pick), so it weighs n_c - k_c + 1 and every other pick 1; the cost is 0, or n - k for zero rows
 * under cosine.
 */
function checkIdentical(built: Built, result: Coreset, classes: Classes, at: string): void {
  const zero = Array.from(built.x.subarray(0, built.d)).every((v) => v === 0);
  const cosineZero = zero && built.options.metric === 'cosine';
  equal(result.cost, cosineZero ? built.n - built.budget : 0, `${at}: cost of identical rows`);
  classes.members.forEach((members, c) => {
    const { weights } = picksOfClass(result, classes.classOf, c);
    weights.forEach((w, p) => equal(w, p === 0 ? members.length - weights.length + 1 : 1, `${at}: identical rows, class ${c} weight ${p}`));
  });
}
