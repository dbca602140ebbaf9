// The large-n path and the memory plan: the proportional optimizer against its float64
// reference (exact weights over all parts, every pick its own), its cost against exact lazy
// greedy, what 'auto' runs, and memoryBudget (dense blocks shrink to fit; a selection that
// cannot fit is refused before any work, naming the memory it needs).
import { equal, ok, sameArray } from '../assert.ts';
import { blobs } from '../data.ts';
import { caseList, checkClusters, expectAdacoreError, identical, interleavedLabels, sameAsReference } from './helpers.ts';
import { rejects } from '../assert.ts';
import type { Case, Lib } from './types.ts';

export function largeNCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  for (const [optimizer, metric] of [['proportional', 'euclidean'], ['proportional', 'cosine'], ['spatial', 'euclidean'], ['spatial', 'cosine']]) {
    add(`${optimizer} equals its reference and weighs every row to its exact nearest pick: n=1400 d=6 in 2 classes, ${metric}`, async () => {
      const x = blobs(1400, 6, 5151, 12);
      const labels = interleavedLabels([800, 600], [1, 0], 17);
      const options = { dim: 6, labels, budget: 70, optimizer, partitionSize: 200, metric, seed: 5 };
      const expected = lib.referenceSelectCoreset(x, options);
      const result = await lib.selectCoreset(x, options);
      equal(result.optimizer, optimizer, 'optimizer');
      sameAsReference(result, expected, optimizer, undefined, { gainAbs: 5e-4 * Math.max(...expected.gains), reportedTies: true });
      checkClusters(x, 6, labels, result, metric, optimizer);
      equal(Array.from(result.weights).reduce((a, b) => a + b, 0), 1400, 'weights sum to n');
      identical(await lib.selectCoreset(x, options), result, 'same seed');
    });
  }
  add('proportional: cost within 15 % of exact lazy greedy on 4,000 clustered points (10 %, parts of 500), closer with larger parts', async () => {
    // no merge round corrects the parts' choices: each part spends its share on its own rows
    const x = blobs(4000, 8, 5252, 60, 0.6);
    const lazy = await lib.selectCoreset(x, { dim: 8, budget: 400, optimizer: 'lazy' });
    const result = await lib.selectCoreset(x, { dim: 8, budget: 400, optimizer: 'proportional', partitionSize: 500 });
    const larger = await lib.selectCoreset(x, { dim: 8, budget: 400, optimizer: 'proportional', partitionSize: 2000 });
    equal(result.indices.length, 400, 'exactly the budget');
    ok(result.cost <= lazy.cost * 1.15, `proportional cost ${result.cost} should be within 15 % of lazy greedy's ${lazy.cost}`);
    ok(result.cost >= lazy.cost * 0.95, `proportional cost ${result.cost} far below lazy greedy's ${lazy.cost}`);
    ok(larger.cost < result.cost, `parts of 2,000 (${larger.cost}) should beat parts of 500 (${result.cost})`);
    checkClusters(x, 8, undefined, result, 'euclidean', 'proportional');
  });
  add("auto runs exact lazy greedy on ground sets of up to 16,384 rows, pick for pick", async () => {
    const x = blobs(900, 5, 5353);
    const auto = await lib.selectCoreset(x, { dim: 5, budget: 45 });
    const lazy = await lib.selectCoreset(x, { dim: 5, budget: 45, optimizer: 'lazy' });
    equal(auto.optimizer, 'lazy', 'optimizer');
    sameArray(auto.indices, lazy.indices, 'indices');
    sameArray(auto.weights, lazy.weights, 'weights');
  });
  add('auto on a ground set of 17,000 rows: spatial while its merge block fits blockMemory, proportional beyond; weights sum to n', async () => {
    const x = blobs(17000, 4, 5656, 30);
    const small = await lib.selectCoreset(x, { dim: 4, budget: 100 });
    equal(small.optimizer, 'spatial', 'a 100-row budget merges (a union of about 1,536 rows)');
    const large = await lib.selectCoreset(x, { dim: 4, budget: 500, blockMemory: 2 ** 20 });
    equal(large.optimizer, 'proportional', 'with a 1 MiB blockMemory the 1,500-row union cannot merge densely');
    for (const [what, r] of [['spatial', small], ['proportional', large]] as const) {
      equal(Array.from(r.weights).reduce((a, b) => a + b, 0), 17000, `${what}: weights sum to n`);
      equal(new Set(r.indices).size, r.indices.length, `${what}: no row twice`);
    }
  });
  add('memoryBudget: a budget too small for the dense block gives the tiled path with the same picks; plannedBytes stays within it', async () => {
    const x = blobs(1200, 6, 5454);
    const dense = await lib.selectCoreset(x, { dim: 6, budget: 60, optimizer: 'lazy' });
    const limited = await lib.selectCoreset(x, { dim: 6, budget: 60, optimizer: 'lazy', memoryBudget: 3 * 2 ** 20 });
    equal(dense.path, 'dense', 'unlimited: dense');
    equal(limited.path, 'tiled', '3 MiB: the 5.5 MiB block does not fit');
    ok(limited.plannedBytes <= 3 * 2 ** 20 && limited.plannedBytes > 1200 * 6 * 4, `plannedBytes ${limited.plannedBytes}`);
    ok(dense.plannedBytes > 1200 * 1200 * 4, `the dense plan counts its block: ${dense.plannedBytes}`);
    sameArray(limited.indices, dense.indices, 'indices');
    sameArray(limited.weights, dense.weights, 'weights');
  });
  add('memoryBudget: a selection that cannot fit is refused up front, naming the memory it needs and what would fit', async () => {
    const x = blobs(2000, 16, 5555);
    let reported = 0;
    const error = await rejects(() => lib.selectCoreset(x, { dim: 16, budget: 100, memoryBudget: 100_000, onProgress: () => { reported++; } }), 'a 100 kB budget');
    expectAdacoreError(lib, error, 'memoryBudget', /needs about [\d.]+ MiB \(the 2000 x 16 input .* but memoryBudget is 0\.1 MiB; .*a memoryBudget of at least [\d.]+ MiB/, '100 kB');
    equal(reported, 0, 'no progress: refused before any work');
  });
  return list;
}
