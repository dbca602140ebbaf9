// Selection in hash partitions (selectPartitioned: the steps the distributed driver runs as
// jobs): the partition of a row is fixed in every runtime, each class keeps its exact budget,
// every row is weighed to its nearest pick, the cost stays near exact greedy's, and bad
// arguments are named.
import { equal, ok, rejects, sameArray } from '../assert.ts';
import { blobs } from '../data.ts';
import { caseList, expectAdacoreError, identical, interleavedLabels } from './helpers.ts';
import type { Case, Lib } from './types.ts';

export function hashPartitionCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  add('hashPartition: the same partitions in every runtime (pinned values), near-equal sizes', async () => {
    const first = Array.from({ length: 12 }, (_, i) => lib.partitionSteps.hashPartition(i, 8, 7));
    sameArray(first, [3, 5, 1, 5, 4, 2, 7, 0, 2, 2, 2, 7], 'partitions of rows 0..11 (8 partitions, seed 7)');
    equal(lib.partitionSteps.hashPartition(2 ** 32 + 5, 1000, 123), 91, 'a row index above 2^32');
    equal(lib.partitionSteps.hashPartition(123456789, 97, 4294967295), 88, 'seed 2^32 - 1');
    const sizes = new Array(8).fill(0);
    for (let i = 0; i < 80000; i++) sizes[lib.partitionSteps.hashPartition(i, 8, 3)]++;
    ok(Math.min(...sizes) > 9600 && Math.max(...sizes) < 10400, `partition sizes ${sizes} should be near 10,000 each`);
  });

  add('selectPartitioned: exact class budgets, weights sum to each class size, cost within 6 % of exact lazy greedy; the same for the same seed, other picks for another', async () => {
    const x = blobs(3000, 8, 6161, 40, 0.8);
    const labels = interleavedLabels([1800, 1200], [0, 1], 23);
    const options = { dim: 8, labels, budget: 150, partitions: 5, seed: 9 };
    const result = await lib.selectPartitioned(x, options);
    const lazy = await lib.selectCoreset(x, { dim: 8, labels, budget: 150, optimizer: 'lazy' });
    equal(result.path, 'partitions', 'path');
    equal(result.indices.length, 150, 'exactly the budget');
    equal(new Set(result.indices).size, 150, 'no row twice');
    const picked = [0, 0], weighed = [0, 0];
    result.indices.forEach((row, r) => { picked[labels[row]]++; weighed[labels[row]] += result.weights[r]; ok(result.weights[r] >= 1 && Number.isInteger(result.weights[r]), `weight ${result.weights[r]} of row ${row}`); });
    sameArray(picked, lib.classBudgets([1800, 1200], 150), 'picks per class are classBudgets');
    sameArray(weighed, [1800, 1200], 'weights sum to each class size');
    ok(result.cost <= lazy.cost * 1.06 && result.cost >= lazy.cost * 0.97, `cost ${result.cost} should be within 6 % of lazy greedy's ${lazy.cost}`);
    const exact = await lib.facilityLocationCost(x, 8, result.indices, 'euclidean', labels);
    ok(Math.abs(exact - result.cost) <= 1e-3 * exact, `the cost ${result.cost} is the facility-location cost of the picks (${exact})`);
    identical(await lib.selectPartitioned(x, options), result, 'same seed');
    const other = await lib.selectPartitioned(x, { ...options, seed: 10 });
    ok(Array.from(other.indices).some((v, i) => v !== result.indices[i]), 'another seed, other partitions, other picks');
  });

  add('selectPartitioned: a union too large for blockMemory merges on spatial parts of it; proportional keeps exact shares; one partition is plain two-round greedy', async () => {
    const x = blobs(2400, 6, 6262, 30);
    const dense = await lib.selectPartitioned(x, { dim: 6, budget: 240, partitions: 4 });
    equal(dense.optimizer, 'partitioned', 'the union fits the default blockMemory');
    const spatial = await lib.selectPartitioned(x, { dim: 6, budget: 240, partitions: 4, blockMemory: 2 ** 16 });
    equal(spatial.optimizer, 'spatial', 'a 64 KiB blockMemory cannot hold the merge of the whole union');
    const exact = await lib.selectPartitioned(x, { dim: 6, budget: 240, partitions: 4, method: 'proportional' });
    equal(exact.optimizer, 'proportional', 'method proportional');
    for (const [what, r] of [['spatial', spatial], ['proportional', exact]] as const) {
      equal(r.indices.length, 240, `${what}: exactly the budget`);
      equal(new Set(r.indices).size, 240, `${what}: no row twice`);
      equal(Array.from(r.weights).reduce((a, b) => a + b, 0), 2400, `${what}: weights sum to n`);
    }
    ok(spatial.cost <= dense.cost * 1.05, `the spatial merge (${spatial.cost}) stays within 5 % of the dense one (${dense.cost})`);
    const one = await lib.selectPartitioned(x, { dim: 6, budget: 240, partitions: 1 });
    equal(one.optimizer, 'partitioned', 'merged');
    equal(one.indices.length, 240, 'exactly the budget');
  });

  add('selectPartitioned: bad partitions, method, labels and budget are named', async () => {
    const x = blobs(200, 3, 6363);
    const bad: [string, Record<string, unknown>, string, RegExp][] = [
      ['partitions 0', { budget: 10, partitions: 0 }, 'partitions', /expected an integer in \[1, 65536\], got 0/],
      ['partitions 2.5', { budget: 10, partitions: 2.5 }, 'partitions', /got 2\.5/],
      ['no partitions', { budget: 10 }, 'partitions', /got undefined/],
      ['method lazy', { budget: 10, partitions: 2, method: 'lazy' }, 'method', /auto, partitioned or proportional/],
      ['two labels for 200 rows', { budget: 10, partitions: 2, labels: [1, 2] }, 'labels', /expected 200 labels/],
      ['budget above n', { budget: 300, partitions: 2 }, 'budget', /300 is more than the 200 rows/],
      ['no budget', { partitions: 2 }, 'budget', /give budget/],
    ];
    for (const [what, options, argument, pattern] of bad) {
      const error = await rejects(() => lib.selectPartitioned(x, { dim: 3, ...options }), what);
      expectAdacoreError(lib, error, argument, pattern, what);
    }
  });

  return list;
}
