// Property-based tests with fast-check (docs/reliability.md, "Properties"): the list of
// properties, each an arbitrary of inputs (test/shared/properties/inputs.ts) and a body of checks
// (properties/checks.ts, properties/relations.ts), and runProperty, which runs one with a fixed
// seed. test/node/properties.test.ts runs the list at full size (seed and run counts from the
// environment); the shared cases below run it small in every runtime (Node, Deno, Chromium page
// and module Worker) with the fixed seed.
import fc from 'fast-check';
import { ok } from '../assert.ts';
import { checkSelection } from '../properties/checks.ts';
import { build, exactInputs, inputs, type Input } from '../properties/inputs.ts';
import { checkClassesAlone, checkCopies, checkLazyIsNaive, checkNestedBudgets, checkPermutation, checkReference, checkReferenceExact } from '../properties/relations.ts';
import { caseList } from './helpers.ts';
import type { Case, Lib } from './types.ts';

/** The suite's fast-check seed: every run of the suite draws the same cases. */
export const DEFAULT_SEED = 20261202;

/** What a property counted besides its runs (ties met, classes that lost a point, ...). */
export type Tally = Record<string, number>;

export interface Property<T> {
  name: string;
  /** Runs in test/node/properties.test.ts (times ADACORE_FC_RUNS) and in the shared cases. */
  runs: number;
  sharedRuns: number;
  arbitrary: (small: boolean) => fc.Arbitrary<T>;
  body: (lib: Lib, value: T, tally: Tally) => Promise<void>;
}

const count = (tally: Tally, key: string, by = 1) => { tally[key] = (tally[key] ?? 0) + by; };
/** Largest n of the inputs: the shared cases' (every runtime), and test/node/properties.test.ts's. */
const SMALL_N = 48;
const FULL_N = 200;
const sized = (small: boolean) => ({ maxN: small ? SMALL_N : FULL_N });

export function properties(): Property<any>[] {
  const list: Property<any>[] = [
    {
      name: 'every selection is valid: exactly the budget per class, distinct rows, positive integral weights summing to each class size, cost as float64 gives it',
      runs: 300, sharedRuns: 40,
      arbitrary: (small) => inputs(sized(small)),
      body: async (lib, input: Input) => { const built = build(input); await checkSelection(lib, built, await lib.selectCoreset(built.x, built.options)); },
    },
    {
      name: 'lazy greedy makes naive greedy\'s picks: bit for bit on the dense path, up to float32 rounding and ties on the tiled path',
      runs: 200, sharedRuns: 30,
      arbitrary: (small) => inputs(sized(small)),
      body: async (lib, input: Input, tally) => count(tally, `${input.tiled ? 'tiled' : 'dense'} runs: ${await checkLazyIsNaive(lib, build(input))}`),
    },
    {
      name: 'greedy picks are nested in the budget, so the cost never rises (per class with labels)',
      runs: 160, sharedRuns: 25,
      arbitrary: (small) => fc.tuple(inputs(sized(small)), fc.constantFrom('lazy' as const, 'naive' as const, 'stochastic' as const),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 3 })),
      body: async (lib, [input, optimizer, extra]: [Input, 'lazy' | 'naive' | 'stochastic', number[]], tally) => {
        const fewer = await checkNestedBudgets(lib, build(input), optimizer, extra);
        if (fewer > 0) count(tally, 'budget steps where classBudgets took a point from a class (cost not compared)', fewer);
      },
    },
    {
      name: 'permuting the rows permutes the picks (lazy, naive; up to ties in gain)',
      runs: 160, sharedRuns: 25,
      arbitrary: (small) => inputs({ ...sized(small), kinds: ['blobs'], optimizers: ['lazy', 'naive'] }),
      body: async (lib, input: Input, tally) => count(tally, `runs: ${await checkPermutation(lib, build(input))}`),
    },
    {
      name: 'the float64 reference makes the kernels\' picks, weights and cost (lazy, naive, stochastic, auto; dense and tiled; up to ties in gain)',
      runs: 200, sharedRuns: 30,
      arbitrary: (small) => inputs({ ...sized(small), kinds: ['blobs'], optimizers: ['lazy', 'naive', 'stochastic', 'auto'] }),
      body: async (lib, input: Input, tally) => count(tally, `runs: ${await checkReference(lib, build(input))}`),
    },
    {
      name: 'on inputs float32 computes exactly, the kernels equal the float64 reference bit for bit, ties included (every optimizer, dense and tiled)',
      runs: 300, sharedRuns: 40,
      arbitrary: () => exactInputs(),
      body: async (lib, input: Input) => checkReferenceExact(lib, build(input)),
    },
    {
      name: 'with labels each class is selected as if alone, with its classBudgets share and its class seed',
      runs: 120, sharedRuns: 20,
      arbitrary: (small) => inputs(sized(small)).filter((input) => input.classes >= 1),
      body: async (lib, input: Input) => checkClassesAlone(lib, build(input)),
    },
    {
      name: 'appended copies of rows: valid, weights right, no copy of a pick chosen before every distinct row (lazy, naive)',
      runs: 120, sharedRuns: 20,
      arbitrary: (small) => fc.tuple(inputs(sized(small)), fc.integer({ min: 1, max: small ? 20 : 60 })),
      body: async (lib, [input, copies]: [Input, number]) => { await checkCopies(lib, build(input), copies); },
    },
    {
      name: 'selection in hash partitions (selectPartitioned) meets the same checks: the budget per class, every pick in its own cluster, weights summing to each class size',
      runs: 120, sharedRuns: 20,
      arbitrary: (small) => fc.tuple(inputs(sized(small)), fc.integer({ min: 1, max: 6 }), fc.constantFrom('auto', 'partitioned', 'proportional')),
      body: async (lib, [input, partitions, method]: [Input, number, string]) => {
        const built = build(input);
        const { optimizer: _o, partitionSize: _p, ...options } = built.options;
        await checkSelection(lib, built, await lib.selectPartitioned(built.x, { ...options, partitions, method }), `${partitions} hash partitions, ${method}: `);
      },
    },
    {
      name: 'classBudgets: sums to the budget, 1 to size per class, within one of the proportional share unless a class took its one point',
      runs: 3000, sharedRuns: 300,
      arbitrary: () => fc.tuple(fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true })),
      body: async (lib, [sizes, fraction]: [number[], number]) => checkClassBudgets(lib, sizes, fraction),
    },
  ];
  return list;
}

/** classBudgets(sizes, k) for k between the class count and n (docs/algorithms.md section 5). */
function checkClassBudgets(lib: Lib, sizes: number[], fraction: number): void {
  const n = sizes.reduce((a, b) => a + b, 0);
  const k = Math.min(n, sizes.length + Math.floor(fraction * (n - sizes.length + 1)));
  const budgets = lib.classBudgets(sizes, k);
  const what = `classBudgets([${sizes}], ${k}) = [${budgets}]`;
  ok(budgets.length === sizes.length, `${what}: one budget per class`);
  ok(budgets.reduce((a, b) => a + b, 0) === k, `${what}: sums to the budget`);
  const share = sizes.map((size) => (k * size) / n);
  // classes whose share is under one point get exactly one, taken from the largest budgets
  const lifted = share.filter((s) => s < 1).length;
  budgets.forEach((b, c) => {
    ok(Number.isInteger(b) && b >= 1 && b <= sizes[c], `${what}: class ${c} gets ${b}, outside 1..${sizes[c]}`);
    ok(b <= Math.ceil(share[c]) || share[c] < 1, `${what}: class ${c} gets ${b}, above its share ${share[c]} rounded up`);
    if (share[c] < 1) ok(b === 1, `${what}: class ${c}, share ${share[c]} < 1, gets ${b} instead of 1`);
    ok(b >= Math.floor(share[c]) - lifted, `${what}: class ${c} gets ${b}, more than ${lifted} below its share ${share[c]}`);
    if (lifted === 0) ok(b >= Math.floor(share[c]), `${what}: class ${c} gets ${b}, below its share ${share[c]} rounded down`);
  });
}

export interface PropertyRun { name: string; runs: number; skipped: number; seed: number; tally: Tally; failure?: string }

/** Runs one property with fast-check (fc.check); a failure carries fast-check's report (seed, path, shrunk counterexample). */
export async function runProperty(lib: Lib, property: Property<any>, { seed = DEFAULT_SEED, runs, small = false, path }: { seed?: number; runs: number; small?: boolean; path?: string }): Promise<PropertyRun> {
  const tally: Tally = {};
  const details = await fc.check(fc.asyncProperty(property.arbitrary(small), (value: any) => property.body(lib, value, tally)), {
    seed, numRuns: runs, ...(path ? { path } : {}),
  });
  const run: PropertyRun = { name: property.name, runs: details.numRuns, skipped: details.numSkips, seed, tally };
  if (details.failed) {
    const error = details.errorInstance as Error | undefined;
    run.failure = `${fc.defaultReportMessage(details) ?? `failed after ${details.numRuns} runs (seed ${seed})`}\n${error?.stack ?? String(error)}`;
  }
  return run;
}

/** The properties as shared cases: each at its small size and run count, with the suite's seed. */
export function propertyCases(lib: Lib): Case[] {
  const { list, add } = caseList();
  for (const property of properties()) {
    add(`property (fast-check, ${property.sharedRuns} runs, seed ${DEFAULT_SEED}): ${property.name}`, async () => {
      const run = await runProperty(lib, property, { runs: property.sharedRuns, small: true });
      if (run.failure) throw new Error(run.failure);
      ok(run.runs === property.sharedRuns, `ran ${run.runs} of ${property.sharedRuns} cases`);
    });
  }
  return list;
}
