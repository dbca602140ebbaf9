// Bad input: NaN/Infinity, dim, ragged and empty vectors, budget/fraction, labels, metric and
// optimizer are refused alike by the WASM path and the reference; the caller's arrays stay unchanged.
import { equal, sameArray } from '../assert.ts';
import { blobs } from '../data.ts';
import { bothReject, caseList, METRICS, OPTIMIZERS } from './helpers.ts';
import type { Case, Lib } from './types.ts';

export function badInputCases(lib: Lib): Case[] {
  const { list, add } = caseList();

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
        for (const blockMemory of [undefined, 0]) {
          const options = { budget: 12, metric, optimizer, blockMemory };
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

  return list;
}
