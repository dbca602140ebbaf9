// The kernel module and its memory: reused across sequential and concurrent calls; large n takes the
// tiled path within blockMemory (peer-defect regressions: docs/algorithms.md, section "peer defects").
import { close, equal, sameArray } from '../assert.ts';
import { blobs } from '../data.ts';
import { caseList, COST_REL, GAIN_REL, interleavedLabels, sameAsReference } from './helpers.ts';
import type { Case, Lib } from './types.ts';

export function kernelMemoryCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  add('the kernel module is reused across calls: two selections in a row, and two at once, are all correct', async () => {
    const a = blobs(300, 12, 88), b = blobs(250, 3, 89);
    const optionsA = { dim: 12, budget: 20, optimizer: 'lazy' }, optionsB = { dim: 3, budget: 15, optimizer: 'naive', metric: 'cosine' };
    const expectedA = lib.referenceSelectCoreset(a, optionsA), expectedB = lib.referenceSelectCoreset(b, optionsB);
    sameAsReference(await lib.selectCoreset(a, optionsA), expectedA, 'first call');
    sameAsReference(await lib.selectCoreset(b, optionsB), expectedB, 'second call');
    const [concurrentA, concurrentB] = await Promise.all([lib.selectCoreset(a, optionsA), lib.selectCoreset(b, optionsB)]);
    sameAsReference(concurrentA, expectedA, 'concurrent call A');
    sameAsReference(concurrentB, expectedB, 'concurrent call B');
  });
  add('large n never allocates n^2 up front: a small blockMemory takes the tiled path and equals the dense result', async () => {
    const n = 2000, d = 16;
    const x = blobs(n, d, 90);
    for (const optimizer of ['lazy', 'stochastic'] as const) {
      const options = { dim: d, budget: 40, optimizer, seed: 8 };
      const dense = await lib.selectCoreset(x, options);
      equal(dense.path, 'dense', `${optimizer}: default path for n=${n}`);
      const tiled = await lib.selectCoreset(x, { ...options, blockMemory: 1 << 20 }); // n^2 floats = 16 MB
      equal(tiled.path, 'tiled', `${optimizer}: path with a 1 MiB blockMemory`);
      sameArray(tiled.indices, dense.indices, `${optimizer}: tiled vs dense indices`);
      sameArray(tiled.weights, dense.weights, `${optimizer}: tiled vs dense weights`);
      close(tiled.cost, dense.cost, COST_REL, `${optimizer}: tiled vs dense cost`);
      tiled.gains.forEach((g, p) => close(g, dense.gains[p], GAIN_REL, `${optimizer}: tiled vs dense gains[${p}]`));
    }
    // classes of 100 and 900 rows with room for 100 x 100 only: one dense block, one tiled
    const labels = interleavedLabels([100, 900], [0, 1], 14);
    const small = blobs(1000, 6, 91);
    const options = { dim: 6, labels, budget: 30, optimizer: 'lazy', blockMemory: 100 * 100 * 4 };
    const mixed = await lib.selectCoreset(small, options);
    equal(mixed.path, 'dense+tiled', 'path with one class over the memory budget');
    sameAsReference(mixed, lib.referenceSelectCoreset(small, options), 'dense+tiled vs reference');
  });

  return list;
}
