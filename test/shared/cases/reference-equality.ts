// The WASM selection (float32 kernels) equals the float64 reference, pick for pick, on the dense
// and tiled paths: seeded random data for every optimizer x metric, and the Fashion-MNIST slice.
import { equal, ok, sameArray } from '../assert.ts';
import { blobs, fashion } from '../data.ts';
import { caseList, classesOf, METRICS, OPTIMIZERS, sameAsReference } from './helpers.ts';
import type { Case, Lib } from './types.ts';

export function referenceEqualityCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  // WASM = reference on random data, every optimizer x metric, dense and tiled paths.
  const shapes = [{ n: 600, d: 5, budget: 30 }, { n: 450, d: 13, budget: 25 }, { n: 300, d: 64, budget: 20 }];
  for (const { n, d, budget } of shapes) {
    for (const optimizer of OPTIMIZERS) {
      for (const metric of METRICS) {
        add(`wasm equals reference: random n=${n} d=${d} budget=${budget}, ${optimizer}, ${metric}, dense and tiled`, async () => {
          const x = blobs(n, d, 1000 + d);
          const options = { dim: d, budget, optimizer, metric, seed: 11 };
          const expected = lib.referenceSelectCoreset(x, options);
          const dense = await lib.selectCoreset(x, options);
          equal(dense.path, 'dense', 'default path');
          sameAsReference(dense, expected, 'dense', { x, dim: d, metric });
          const tiled = await lib.selectCoreset(x, { ...options, blockMemory: 0 });
          equal(tiled.path, 'tiled', 'path with blockMemory 0');
          sameAsReference(tiled, expected, 'tiled', { x, dim: d, metric });
          ok(dense.seconds !== undefined && dense.seconds >= 0, 'seconds is reported');
        });
      }
    }
  }

  // The same on real data: the committed Fashion-MNIST slice, per class.
  for (const [optimizer, metric] of [['lazy', 'euclidean'], ['stochastic', 'euclidean'], ['lazy', 'cosine'], ['stochastic', 'sqeuclidean']] as const) {
    add(`wasm equals reference: Fashion-MNIST slice (600 x 784) per class, budget 60, ${optimizer}, ${metric}, dense and tiled`, async () => {
      const { vectors, labels, dim } = fashion();
      const options = { dim, labels, budget: 60, optimizer, metric, seed: 3 };
      const expected = lib.referenceSelectCoreset(vectors, options);
      const dense = await lib.selectCoreset(vectors, options);
      equal(dense.path, 'dense', 'default path');
      sameAsReference(dense, expected, 'dense', { x: vectors, dim, labels, metric });
      const tiled = await lib.selectCoreset(vectors, { ...options, blockMemory: 0 });
      equal(tiled.path, 'tiled', 'path with blockMemory 0');
      sameAsReference(tiled, expected, 'tiled', { x: vectors, dim, labels, metric });
      const budgets = lib.classBudgets(classesOf(labels).sizes, 60);
      const counts = budgets.map(() => 0);
      for (const i of dense.indices) counts[labels[i]]++; // Fashion labels are 0..9, all present
      sameArray(counts, budgets, 'picks per class');
    });
  }
  add('wasm equals reference: Fashion-MNIST slice without labels, budget 40, naive, euclidean', async () => {
    const { vectors, dim } = fashion();
    const options = { dim, budget: 40, optimizer: 'naive' };
    sameAsReference(await lib.selectCoreset(vectors, options), lib.referenceSelectCoreset(vectors, options), 'naive');
  });

  return list;
}
