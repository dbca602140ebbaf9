// Labels: per-class budgets (classBudgets, largest remainder, exact total) and weights that are
// cluster sizes within each class.
import { equal, ok, sameArray } from '../assert.ts';
import { blobs, random } from '../data.ts';
import { caseList, checkClusters, classesOf, interleavedLabels, METRICS, noDuplicates, OPTIMIZERS } from './helpers.ts';
import type { Case, Lib } from './types.ts';

export function labelsCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  add('labels: per-class counts equal classBudgets and sum to exactly the budget where ceil per class would overshoot', async () => {
    const sizes = [7, 7, 7, 7, 72, 13];
    const values = [40, 3, 17, 8, -5, 100];
    const n = sizes.reduce((a, b) => a + b, 0);
    const labels = interleavedLabels(sizes, values, 9);
    const x = blobs(n, 6, 79);
    const { sizes: sortedSizes, values: sortedValues } = classesOf(labels);
    for (const budget of [6, 10, 13, 37, 50, n]) {
      const ceilTotal = sortedSizes.reduce((sum, size) => sum + Math.ceil((budget * size) / n), 0);
      if (budget === 10 || budget === 13 || budget === 37) ok(ceilTotal > budget, `the data should make ceil per class overshoot (${ceilTotal} vs ${budget})`);
      const budgets = lib.classBudgets(sortedSizes, budget);
      equal(budgets.reduce((a, b) => a + b, 0), budget, `classBudgets(${sortedSizes}, ${budget}) sum`);
      for (const optimizer of OPTIMIZERS) {
        const result = await lib.selectCoreset(x, { dim: 6, labels, budget, optimizer });
        equal(result.indices.length, budget, `${optimizer} budget ${budget}: number of picks`);
        equal(result.budget, budget, `${optimizer} budget ${budget}: reported budget`);
        const counts = sortedValues.map((v) => Array.from(result.indices).filter((i) => labels[i] === v).length);
        sameArray(counts, budgets, `${optimizer} budget ${budget}: picks per class (classes ${sortedValues})`);
        noDuplicates(result.indices, n, `${optimizer} budget ${budget}`);
        checkClusters(x, 6, labels, result, 'euclidean', `${optimizer} budget ${budget}`);
      }
    }
  });
  add('labels: classBudgets is proportional with largest remainder, gives every class a point, and sums to the budget', async () => {
    sameArray(lib.classBudgets([7, 7, 7, 7, 72], 10), [1, 1, 1, 1, 6], 'classBudgets([7,7,7,7,72], 10)');
    sameArray(lib.classBudgets([50, 30, 20], 10), [5, 3, 2], 'classBudgets([50,30,20], 10)');
    sameArray(lib.classBudgets([10], 4), [4], 'one class');
    const uniform = random(4);
    for (let trial = 0; trial < 200; trial++) {
      const sizes = Array.from({ length: 1 + Math.floor(uniform() * 9) }, () => 1 + Math.floor(uniform() * 60));
      const n = sizes.reduce((a, b) => a + b, 0);
      const budget = sizes.length + Math.floor(uniform() * (n - sizes.length + 1));
      const budgets = lib.classBudgets(sizes, budget);
      equal(budgets.reduce((a, b) => a + b, 0), budget, `sum of classBudgets(${sizes}, ${budget})`);
      budgets.forEach((b, c) => ok(b >= 1 && b <= sizes[c], `classBudgets(${sizes}, ${budget})[${c}] = ${b} is outside 1..${sizes[c]}`));
    }
  });
  add('labels: weights are cluster sizes (not size + 1), sum to n exactly, each >= 1, each selected row in its own cluster', async () => {
    for (const metric of METRICS) {
      const x = blobs(500, 7, 80);
      const labels = interleavedLabels([60, 240, 200], [9, 4, 6], 10);
      for (const optimizer of OPTIMIZERS) {
        const result = await lib.selectCoreset(x, { dim: 7, labels, budget: 40, optimizer, metric, seed: 2 });
        checkClusters(x, 7, labels, result, metric, `${optimizer}, ${metric}, labels`);
        const plain = await lib.selectCoreset(x, { dim: 7, budget: 25, optimizer, metric, seed: 2 });
        checkClusters(x, 7, undefined, plain, metric, `${optimizer}, ${metric}, no labels`);
      }
    }
  });

  return list;
}
