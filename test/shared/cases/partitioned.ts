// The partitioned optimizer (GreeDi): its float64 reference, lazy greedy on small ground sets,
// exact cluster weights (members outside the merge round too), quality, seeds, option checks.
import { close, equal, ok, sameArray } from '../assert.ts';
import { blobs } from '../data.ts';
import { bothReject, caseList, checkClusters, identical, interleavedLabels, METRICS, sameAsReference } from './helpers.ts';
import type { Case, Coreset, Lib } from './types.ts';

export function partitionedCases(lib: Lib): Case[] {
  const { list, add } = caseList();

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
      const tiled = await lib.selectCoreset(x, { ...options, blockMemory: 0 });
      equal(tiled.path, 'tiled', 'path with blockMemory 0');
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
        const tiled = await lib.selectCoreset(x, { ...options, blockMemory: 0 });
        equal(tiled.path, 'tiled', `d = ${d}, ${metric}: path with blockMemory 0`);
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

  return list;
}
