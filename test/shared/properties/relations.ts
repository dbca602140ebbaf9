// Properties that relate selections to each other: lazy = naive, nested budgets (the cost never
// rises), permuted rows, the float64 reference, each class alone, appended copies of rows.
// The tie rule they rely on is in tieGains (docs/reliability.md, "Properties").
import { close, equal, fail, ok, sameArray } from '../assert.ts';
import type { Coreset, Lib } from '../cases/types.ts';
import { permutation, random } from '../data.ts';
import { distance, sameSelection } from '../cases/helpers.ts';
import { checkSelection, classesOf, costTolerance, distanceTolerance, emptyDistanceOf, picksOfClass, type Classes } from './checks.ts';
import { describe, PART_BASED, type Built } from './inputs.ts';

/**
 * The tie rule. The kernels (assembly/candidates.ts, assembly/lazy-heap.ts) and the reference
 * take the largest computed gain, the lowest position in the ground set when computed gains are
 * equal. Gains equal in exact arithmetic (two mutual-nearest rows far from the picks both gain
 * d(a, S) + d(b, S) - d(a, b)) are computed unequal by rounding, differently in float32 and
 * float64 and after a permutation, so there the pick may differ. This says whether rows a and b
 * of a class tie, given the picks before them: their exact float64 gains differ by no more than
 * float32 distances can move them (twice distanceTolerance for each row that adds to either
 * gain, plus 1e-6 relative for the sums).
 */
export function tieGains(built: Built, members: number[], prefix: number[], a: number, b: number): { tie: boolean; exact: boolean; text: string } {
  const { x, d } = built;
  const metric = built.options.metric as string;
  const C = emptyDistanceOf(x, d, members, metric);
  const minDist = members.map((i) => (prefix.length === 0 ? C : Math.min(...prefix.map((j) => distance(x, d, i, j, metric)))));
  let contributing = 0;
  const gain = (c: number) => members.reduce((sum, i, t) => {
    const excess = minDist[t] - distance(x, d, i, c, metric);
    if (excess > 0) { contributing++; return sum + excess; }
    return sum;
  }, 0);
  const ga = gain(a), gb = gain(b);
  const allowed = 2 * distanceTolerance(C) * (contributing + 2) + 1e-6 * Math.max(ga, gb);
  const difference = Math.abs(ga - gb);
  return { tie: difference <= allowed, exact: difference <= 1e-9 * Math.max(ga, gb), text: `exact gains given ${prefix.length} earlier picks: row ${a} ${ga}, row ${b} ${gb} (difference ${difference}, ties allowed up to ${allowed})` };
}

/**
 * How two selections compared: the same picks in every class, or the first difference was a tie
 * exact in float64 (to 1e-9: structural) or only within float32 error of one.
 */
export type Outcome = 'same' | 'exact tie' | 'float32 tie' | 'same picks, gains differ in the last bits';

/**
 * Class by class, `actual` makes the same picks as `expected`, with the same gains, up to the
 * first pick where they differ, which must be a tie (tieGains); later picks of that class
 * legitimately differ. Not for the part-based optimizers: they break ties inside their parts
 * first, where this cannot see them, and such a tie changes a member of the union or a cluster
 * size, hence the merge round's gains and picks by arbitrary amounts (docs/reliability.md).
 */
export function samePicksUpToTies(
  built: Built, classes: Classes, actual: Coreset, expected: Coreset, what: string,
): Outcome {
  ok(!PART_BASED.has(built.options.optimizer as string), `${what}: the part-based optimizers are compared on exact inputs only`);
  let outcome: Outcome = 'same';
  classes.members.forEach((members, c) => {
    const ours = picksOfClass(actual, classes.classOf, c), theirs = picksOfClass(expected, classes.classOf, c);
    const rows = ours.rows;
    equal(rows.length, theirs.rows.length, `${what}: class ${c} picks`);
    const gainAbs = 2 * distanceTolerance(emptyDistanceOf(built.x, built.d, members, built.options.metric as string)) * (members.length + 2);
    for (let p = 0; p < rows.length; p++) {
      if (rows[p] !== theirs.rows[p]) {
        const why = tieGains(built, members, theirs.rows.slice(0, p), rows[p], theirs.rows[p]);
        ok(why.tie, `${what}: class ${c} picks differ at ${p}: row ${rows[p]} vs ${theirs.rows[p]}, not a tie: ${why.text}; picks ${rows} vs ${theirs.rows}`);
        if (outcome !== 'float32 tie') outcome = why.exact ? 'exact tie' : 'float32 tie';
        return;
      }
      close(ours.gains[p], theirs.gains[p], 1e-5, `${what}: class ${c} gain ${p} (row ${rows[p]})`, gainAbs);
    }
  });
  return outcome;
}

/** Whether every class has the same picks in the same order. */
function samePicks(classes: Classes, a: Coreset, b: Coreset): boolean {
  return classes.members.every((_, c) => picksOfClass(a, classes.classOf, c).rows.join() === picksOfClass(b, classes.classOf, c).rows.join());
}

/**
 * Two selections with the same picks: `actual` passes checkSelection, and the weights are equal
 * in every class where no row is within float32 error of two picks; the costs agree to 1e-5.
 */
async function sameWeightsAndCost(lib: Lib, built: Built, classes: Classes, actual: Coreset, expected: Coreset, what: string): Promise<void> {
  const bounds = await checkSelection(lib, built, actual, `${what}: `);
  classes.members.forEach((_, c) => {
    if (bounds.ambiguous[c] > 0) return;
    sameArray(picksOfClass(actual, classes.classOf, c).weights, picksOfClass(expected, classes.classOf, c).weights, `${what}: class ${c} weights`);
  });
  close(actual.cost, expected.cost, 1e-5, `${what}: cost`, costTolerance(built, classes));
}

/**
 * Lazy greedy makes naive greedy's picks. On the dense path bit for bit: both read the same block
 * and sum gains with the same kernel, a stale bound is never below the current gain (a float32 sum
 * of excesses that only shrank; bar an ulp after the first pick, see checks.ts on rising gains),
 * and both break equal gains towards the lower index. On the tiled
 * path a distance is computed by the 2 x 4 micro-kernel or by the one-row loop depending on the
 * candidate's place in the panel (lazy re-evaluates one candidate at a time, naive 64), and the
 * two reduce their four lanes in different orders (assembly/micro-kernels.ts reduce4 and hsum),
 * so gains agree to float32 rounding and picks up to ties (samePicksUpToTies).
 */
export async function checkLazyIsNaive(lib: Lib, built: Built): Promise<Outcome> {
  const lazy = await lib.selectCoreset(built.x, { ...built.options, optimizer: 'lazy' });
  const naive = await lib.selectCoreset(built.x, { ...built.options, optimizer: 'naive' });
  const what = `lazy vs naive, ${describe(built.input)}`;
  built = { ...built, options: { ...built.options, optimizer: 'lazy' } };
  ok(lazy.evaluations <= naive.evaluations, `${what}: lazy made ${lazy.evaluations} evaluations, naive ${naive.evaluations}`);
  if (!built.input.tiled) { sameSelection(lazy, naive, what); return 'same'; }
  const classes = classesOf(built);
  const outcome = samePicksUpToTies(built, classes, lazy, naive, what);
  if (samePicks(classes, lazy, naive)) {
    await sameWeightsAndCost(lib, built, classes, lazy, naive, what);
    if (lazy.gains.some((g, p) => g !== naive.gains[p])) return 'same picks, gains differ in the last bits';
  }
  return outcome;
}

/**
 * Budgets k1 < k2 < k3 of one greedy (lazy, naive, or stochastic with a fixed sampleSize, whose
 * draws do not depend on k): each class's picks at the smaller budget are a prefix of its picks
 * at the larger, bit for bit, so the cost never rises. With labels that holds per class; the
 * total can rise when classBudgets gives a class fewer points at the larger budget (largest
 * remainder is not house-monotone: [6, 6, 2] rows get [4, 4, 2] at k = 10, [5, 5, 1] at 11).
 * Returns how many budget steps took a point from some class.
 */
export async function checkNestedBudgets(lib: Lib, built: Built, optimizer: 'lazy' | 'naive' | 'stochastic', extra: number[]): Promise<number> {
  const classes = classesOf(built);
  const least = built.labels ? classes.sizes.length : 1;
  const budgets = [...new Set([built.budget, ...extra.map((f) => Math.min(built.n, least + Math.floor(f * (built.n - least + 1))))])].sort((a, b) => a - b);
  const options = { ...built.options, optimizer, ...(optimizer === 'stochastic' ? { sampleSize: 1 + (built.input.seed % 7) } : {}) };
  const results: Coreset[] = [];
  for (const budget of budgets) results.push(await lib.selectCoreset(built.x, { ...options, budget }));
  let fewer = 0;
  for (let s = 1; s < budgets.length; s++) {
    const what = `${optimizer}, budgets ${budgets[s - 1]} then ${budgets[s]}, ${describe(built.input)}`;
    const small = results[s - 1], large = results[s];
    const before = built.labels ? lib.classBudgets(classes.sizes, budgets[s - 1]) : [budgets[s - 1]];
    const after = built.labels ? lib.classBudgets(classes.sizes, budgets[s]) : [budgets[s]];
    classes.members.forEach((_, c) => {
      const [short, long] = before[c] <= after[c] ? [small, large] : [large, small];
      const a = picksOfClass(short, classes.classOf, c), b = picksOfClass(long, classes.classOf, c);
      sameArray(a.rows, b.rows.slice(0, a.rows.length), `${what}: class ${c}'s picks are a prefix`);
      sameArray(a.gains, b.gains.slice(0, a.gains.length), `${what}: class ${c}'s gains are a prefix`);
    });
    if (before.every((k, c) => k <= after[c])) ok(large.cost <= small.cost, `${what}: the cost rose from ${small.cost} to ${large.cost}`);
    else fewer++;
  }
  return fewer;
}

/**
 * Rows (and labels) permuted: lazy and naive greedy pick the permuted rows, class by class, up to
 * a tie (tieGains). Where every class matches, the weights are equal wherever no row is within
 * float32 error of two picks, and the cost agrees to float32 rounding (the class means are summed
 * in another order, so the last bits move).
 */
export async function checkPermutation(lib: Lib, built: Built): Promise<Outcome> {
  const { n, d, x, labels } = built;
  const order = permutation(n, built.input.seed);
  const xp = new Float32Array(n * d);
  order.forEach((from, t) => xp.set(x.subarray(from * d, (from + 1) * d), t * d));
  const lp = labels ? Int32Array.from(order, (from) => labels[from]) : undefined;
  const original = await lib.selectCoreset(x, built.options);
  const permuted = await lib.selectCoreset(xp, { ...built.options, ...(lp ? { labels: lp } : {}) });
  const classes = classesOf(built);
  const what = `permuted rows, ${describe(built.input)}`;
  const mapped: Coreset = { ...permuted, indices: Int32Array.from(permuted.indices, (t) => order[t]) };
  const outcome = samePicksUpToTies(built, classes, mapped, original, what);
  if (samePicks(classes, mapped, original)) await sameWeightsAndCost(lib, built, classes, mapped, original, `${what}, mapped back`);
  return outcome;
}

/**
 * The kernels (float32, dense or tiled) against referenceSelectCoreset (float64, exact distances,
 * the same rules): class by class the same picks up to a tie, and where every class matches, the
 * same weights (bar rows within float32 error of two picks) and the cost to 1e-5.
 */
export async function checkReference(lib: Lib, built: Built): Promise<Outcome> {
  const actual = await lib.selectCoreset(built.x, built.options);
  const expected = lib.referenceSelectCoreset(built.x, built.options);
  const classes = classesOf(built);
  const what = `wasm vs reference, ${describe(built.input)}`;
  equal(actual.optimizer, expected.optimizer, `${what}: optimizer`);
  await checkSelection(lib, built, expected, 'the reference: ');
  const outcome = samePicksUpToTies(built, classes, actual, expected, what);
  if (samePicks(classes, actual, expected)) await sameWeightsAndCost(lib, built, classes, actual, expected, what);
  return outcome;
}

/**
 * On exact inputs (inputs.ts exactInputs: float32 computes what float64 does) the kernels equal
 * the reference bit for bit with every optimizer, dense or tiled: the same picks (ties to the
 * lowest position, in the parts, the merge and the final assignment alike), weights, gains and cost.
 */
export async function checkReferenceExact(lib: Lib, built: Built): Promise<void> {
  const actual = await lib.selectCoreset(built.x, built.options);
  const expected = lib.referenceSelectCoreset(built.x, built.options);
  const what = `exact input, wasm vs reference, ${describe(built.input)}`;
  equal(actual.optimizer, expected.optimizer, `${what}: optimizer`);
  sameArray(actual.indices, expected.indices, `${what}: indices`);
  sameArray(actual.weights, expected.weights, `${what}: weights`);
  sameArray(actual.gains, expected.gains, `${what}: gains`);
  equal(actual.cost, expected.cost, `${what}: cost`);
  await checkSelection(lib, built, actual);
}

/** The per-class seed (src/select/random.ts classSeed; docs/algorithms.md section 3.4). */
export function classSeed(seed: number, c: number): number {
  return (seed + Math.imul(c, 0x9e3779b9)) >>> 0;
}

/**
 * With labels, each class is selected as if alone: its picks, gains and weights are, bit for bit,
 * those of the class's rows selected without labels with its classBudgets share and its class
 * seed; the total cost is the sum of the classes' costs.
 */
export async function checkClassesAlone(lib: Lib, built: Built): Promise<void> {
  const classes = classesOf(built);
  const together = await lib.selectCoreset(built.x, built.options);
  const budgets = lib.classBudgets(classes.sizes, built.budget);
  let cost = 0;
  for (let c = 0; c < classes.members.length; c++) {
    const members = classes.members[c];
    const xc = new Float32Array(members.length * built.d);
    members.forEach((i, t) => xc.set(built.x.subarray(i * built.d, (i + 1) * built.d), t * built.d));
    const { labels: _, ...rest } = built.options;
    const alone = await lib.selectCoreset(xc, { ...rest, budget: budgets[c], seed: classSeed(built.input.seed, c) });
    const what = `class ${c} alone, ${describe(built.input)}`;
    const ours = picksOfClass(together, classes.classOf, c);
    sameArray(ours.rows, Array.from(alone.indices, (t) => members[t]), `${what}: picks`);
    sameArray(ours.gains, Array.from(alone.gains), `${what}: gains`);
    sameArray(ours.weights, Array.from(alone.weights), `${what}: weights`);
    cost += alone.cost;
  }
  equal(together.cost, cost, `${describe(built.input)}: the cost is the classes' costs summed`);
}

/**
 * Copies of some rows appended (and the rows shuffled): the selection stays valid (checkSelection),
 * and for lazy and naive greedy under the euclidean metrics no pick of a class is an exact copy of
 * an earlier pick while rows of the class at a positive distance from every pick remain (a copy of
 * a pick gains nothing; an uncovered row gains at least its own distance).
 */
export async function checkCopies(lib: Lib, built: Built, copies: number): Promise<Built> {
  const { n, d, x, labels, input } = built;
  const uniform = random(input.dataSeed ^ 0x5bd1e995);
  const sources = Array.from({ length: copies }, () => Math.floor(uniform() * n));
  const order = permutation(n + copies, input.dataSeed + 1);
  const from = (t: number) => (order[t] < n ? order[t] : sources[order[t] - n]);
  const xc = new Float32Array((n + copies) * d);
  for (let t = 0; t < n + copies; t++) xc.set(x.subarray(from(t) * d, (from(t) + 1) * d), t * d);
  const lc = labels ? Int32Array.from({ length: n + copies }, (_, t) => labels[from(t)]) : undefined;
  const budget = built.budget + Math.floor((copies * built.budget) / n);
  const grown: Built = {
    ...built, x: xc, n: n + copies, labels: lc, budget,
    input: { ...input, n: n + copies }, options: { ...built.options, budget, ...(lc ? { labels: lc } : {}) },
  };
  const result = await lib.selectCoreset(xc, grown.options);
  await checkSelection(lib, grown, result, `with ${copies} copies appended: `);
  const optimizer = result.optimizer, metric = built.options.metric as string;
  if ((optimizer === 'lazy' || optimizer === 'naive') && metric !== 'cosine') {
    const classes = classesOf(grown);
    classes.members.forEach((members, c) => {
      const picks = picksOfClass(result, classes.classOf, c).rows;
      const key = (i: number) => Array.from(xc.subarray(i * d, (i + 1) * d)).join();
      const distinct = new Set(members.map(key)).size;
      const firsts = new Set(picks.slice(0, Math.min(picks.length, distinct)).map(key));
      if (firsts.size !== Math.min(picks.length, distinct)) fail(`${describe(grown.input)} (${copies} copies): class ${c} picked a copy of a picked row before every distinct row (${distinct} distinct): picks ${picks}`);
    });
  }
  return grown;
}
