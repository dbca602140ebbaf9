// Property-based tests (fast-check) against the built bundle dist/adacore.mjs (run `npm run build`
// first): the properties of test/shared/cases/properties.ts at full size. Deterministic by
// default (a fixed seed); the environment runs more or other cases:
//   ADACORE_FC_SEED=<integer>   fast-check's seed (default 20261202)
//   ADACORE_FC_RUNS=<factor>    runs per property times this (default 1; 10 for a long run)
//   ADACORE_FC_ONLY=<text>      only the properties whose name contains it
//   ADACORE_FC_PATH=<path>      replay one failure (with its seed): fast-check prints both
// Prints how many cases each property ran and writes the counts to test-artifacts/properties.json.
// docs/reliability.md, "Properties", describes the properties, the tie rule and the generators.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as adacore from '../../dist/adacore.mjs';
import { DEFAULT_SEED, properties, runProperty, type PropertyRun } from '../shared/cases/properties.ts';
import type { Coreset, Lib } from '../shared/cases/types.ts';

const lib = adacore as unknown as Lib;
const env = process.env;
const SEED = env.ADACORE_FC_SEED === undefined ? DEFAULT_SEED : Number(env.ADACORE_FC_SEED);
const FACTOR = env.ADACORE_FC_RUNS === undefined ? 1 : Number(env.ADACORE_FC_RUNS);
if (!Number.isInteger(SEED) || !(FACTOR > 0)) throw new Error(`ADACORE_FC_SEED must be an integer and ADACORE_FC_RUNS a positive number (got ${env.ADACORE_FC_SEED}, ${env.ADACORE_FC_RUNS})`);

const done: (PropertyRun & { ms: number })[] = [];

describe(`properties (fast-check seed ${SEED}, runs x${FACTOR})`, () => {
  for (const property of properties()) {
    if (env.ADACORE_FC_ONLY && !property.name.includes(env.ADACORE_FC_ONLY)) continue;
    const runs = Math.max(1, Math.round(property.runs * FACTOR));
    it(`${property.name} (${runs} runs)`, async () => {
      const started = Date.now();
      const run = await runProperty(lib, property, { seed: SEED, runs, path: env.ADACORE_FC_PATH });
      done.push({ ...run, ms: Date.now() - started });
      if (run.failure) throw new Error(run.failure);
      expect(run.runs).toBe(env.ADACORE_FC_PATH ? run.runs : runs);
    }, 120_000 * Math.max(1, FACTOR));
  }

  // A known limitation the nested-budget property has to step around: largest remainder is not
  // house-monotone (the Alabama paradox), so with labels one more point in total can take a point
  // from a class, and the total cost can rise. If classBudgets changes, update docs/reliability.md.
  it('known: with labels, one more point can cost a class a point and raise the total cost ([6, 6, 2] rows, k = 10 then 11)', async () => {
    expect(lib.classBudgets([6, 6, 2], 10)).toEqual([4, 4, 2]);
    expect(lib.classBudgets([6, 6, 2], 11)).toEqual([5, 5, 1]);
    const labels = Int32Array.from({ length: 14 }, (_, i) => (i < 6 ? 0 : i < 12 ? 1 : 2));
    // classes 0 and 1 tight, class 2's two rows far apart
    const x = Float32Array.from({ length: 28 }, (_, t) => (labels[t >> 1] === 2 ? 50 * ((t >> 1) - 12.5) : ((t * 7919) % 13) / 13));
    const at = async (budget: number): Promise<Coreset> => lib.selectCoreset(x, { dim: 2, labels, budget, optimizer: 'lazy' });
    const [ten, eleven] = [await at(10), await at(11)];
    expect(eleven.cost).toBeGreaterThan(ten.cost);
  });

  // Regressions of what the properties found (docs/reliability.md, "Properties"), pinned on small
  // examples, and the out-of-core stream, which the generated sizes do not reach.
  it('regression: a selected row is at distance 0 from itself in facilityLocationCost (zero rows under cosine)', async () => {
    const zero = new Float32Array(10 * 3);
    const result = await lib.selectCoreset(zero, { dim: 3, budget: 4, metric: 'cosine' });
    expect(result.cost).toBe(6);
    expect(await lib.facilityLocationCost(zero, 3, result.indices, 'cosine')).toBe(6);
  });
  it('regression: the proportional optimizer counts the rows of parts whose share rounds to 0', async () => {
    const x = Float32Array.from({ length: 28 }, (_, i) => [-0.72, -0.77, -0.76, -0.69, -0.58, -0.7, -0.64][i % 7]);
    const result = await lib.selectCoreset(x, { dim: 1, budget: 10, optimizer: 'proportional', partitionSize: 2, seed: 1 });
    expect(Array.from(result.weights).reduce((a, b) => a + b, 0)).toBe(28);
    expect(result.cost).toBeCloseTo(await lib.facilityLocationCost(x, 1, result.indices), 5);
  });
  it('regression: every pick owns itself in hash partitions and out-of-core streams (duplicate picks, zero rows under cosine)', async () => {
    const cases: [string, (q: number, d: number) => number, string][] = [
      ['zero rows', () => 0, 'cosine'], ['three distinct rows', (q, d) => (Math.floor(q / d) % 3) + (q % d), 'euclidean'],
    ];
    for (const [what, value, metric] of cases) {
      const small = Float32Array.from({ length: 60 * 2 }, (_, q) => value(q, 2));
      for (const partitions of [1, 3]) {
        const result = await lib.selectPartitioned(small, { dim: 2, budget: 6, metric, partitions });
        expect(Math.min(...result.weights), `${what}, ${partitions} partitions`).toBe(1);
        expect(result.cost, `${what}, ${partitions} partitions`).toBe(metric === 'cosine' ? 54 : 0);
      }
      const n = 6000, d = 16;
      const large = Float32Array.from({ length: n * d }, (_, q) => value(q, d));
      const stream = () => (async function* () { for (let i = 0; i < n; i += 500) yield large.subarray(i * d, (i + 500) * d); })();
      const result = await lib.selectCoreset(stream, { dim: d, budget: 6, metric, memoryBudget: 600_000 });
      expect(result.path).toBe('stream');
      expect(Math.min(...result.weights), `${what}, stream`).toBe(1);
      expect(result.cost, `${what}, stream`).toBe(metric === 'cosine' ? n - 6 : 0);
    }
  });
});

afterAll(() => {
  if (done.length === 0) return;
  const total = done.reduce((sum, r) => sum + r.runs, 0);
  const lines = done.map((r) => `  ${String(r.runs).padStart(6)} runs ${String(r.ms).padStart(7)} ms  ${r.name}${Object.keys(r.tally).length ? `\n${Object.entries(r.tally).map(([k, v]) => `         ${v} ${k}`).join('\n')}` : ''}`);
  console.log(`fast-check properties, seed ${SEED}, runs x${FACTOR}: ${total} cases\n${lines.join('\n')}`);
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/properties.json', `${JSON.stringify({ seed: SEED, factor: FACTOR, total, properties: done }, null, 2)}\n`);
});
