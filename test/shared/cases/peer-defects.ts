// Regressions for defects of peer implementations (docs/algorithms.md, section "peer defects"):
// row 0 as an outlier and as the centre, indices mapped back through unsorted labels, distinct
// picks and gain order.
import { equal, ok, sameArray } from '../assert.ts';
import { blobs } from '../data.ts';
import { caseList, classesOf, interleavedLabels, METRICS, noDuplicates, OPTIMIZERS, sameAsReference } from './helpers.ts';
import type { Case, Lib } from './types.ts';

export function peerDefectCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  add("row 0, an outlier, is not the first pick and its gain is correct (CRAIG's `if not index` bug)", async () => {
    const n = 300, d = 10;
    const x = blobs(n, d, 81, 1, 1);
    for (let j = 0; j < d; j++) x[j] = 50; // row 0 far from everything
    for (const metric of METRICS) {
      for (const optimizer of OPTIMIZERS) {
        const options = { dim: d, budget: 8, optimizer, metric, seed: 4 };
        const result = await lib.selectCoreset(x, options);
        ok(result.indices[0] !== 0, `${optimizer}, ${metric}: row 0 (the outlier) was the first pick`);
        sameAsReference(result, lib.referenceSelectCoreset(x, options), `${optimizer}, ${metric}`);
      }
    }
    // per class: row 0 is the outlier of its class (label 1), whose rows are 0, 2, 4, ...
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    for (const optimizer of OPTIMIZERS) {
      const options = { dim: d, labels, budget: 10, optimizer, seed: 4 };
      const result = await lib.selectCoreset(x, options);
      const firstOfClass = Array.from(result.indices).find((i) => labels[i] === 0);
      ok(firstOfClass !== 0, `${optimizer}, labels: row 0 (its class's outlier) was its class's first pick`);
      sameAsReference(result, lib.referenceSelectCoreset(x, options), `${optimizer}, labels`);
    }
  });
  add("row 0, the most central row, is picked first with its full gain (element 0 is not mis-scored)", async () => {
    const n = 200, d = 6;
    const x = blobs(n, d, 82, 1, 1);
    // put row 0 at the column means: the unique 1-median of a round cloud
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let i = 1; i < n; i++) mean += x[i * d + j];
      x[j] = mean / (n - 1);
    }
    for (const optimizer of ['lazy', 'naive'] as const) {
      const options = { dim: d, budget: 5, optimizer };
      const expected = lib.referenceSelectCoreset(x, options);
      equal(expected.indices[0], 0, `reference ${optimizer}: the central row 0 should be the first pick`);
      const result = await lib.selectCoreset(x, options);
      equal(result.indices[0], 0, `${optimizer}: first pick`);
      sameAsReference(result, expected, optimizer);
      const labels = Int32Array.from({ length: n }, (_, i) => (i < 100 ? 1 : 0)); // row 0's class is the second class
      const perClass = await lib.selectCoreset(x, { ...options, labels, budget: 6 });
      sameAsReference(perClass, lib.referenceSelectCoreset(x, { ...options, labels, budget: 6 }), `${optimizer}, labels`);
    }
  });
  add('indices map back to input rows in the right order with interleaved, unsorted labels', async () => {
    const d = 5;
    const sizes = [90, 150, 60, 100];
    const values = [40, 3, 17, 8];
    const labels = interleavedLabels(sizes, values, 12);
    const n = labels.length;
    const x = blobs(n, d, 83);
    const budget = 40;
    const { values: sortedValues, sizes: sortedSizes } = classesOf(labels);
    const budgets = lib.classBudgets(sortedSizes, budget);
    for (const optimizer of OPTIMIZERS) {
      const options = { dim: d, labels, budget, optimizer, seed: 6 };
      const result = await lib.selectCoreset(x, options);
      sameAsReference(result, lib.referenceSelectCoreset(x, options), optimizer);
      // independently: select in each class's own rows and map back by hand
      for (let c = 0; c < sortedValues.length; c++) {
        const members = Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] === sortedValues[c]);
        const own = new Float32Array(members.length * d);
        members.forEach((row, t) => own.set(x.subarray(row * d, (row + 1) * d), t * d));
        const picked = Array.from(result.indices).filter((i) => labels[i] === sortedValues[c]);
        equal(picked.length, budgets[c], `${optimizer}: picks of label ${sortedValues[c]}`);
        if (optimizer === 'stochastic') continue; // its sampler seed is per class; covered by the reference
        const alone = await lib.selectCoreset(own, { dim: d, budget: budgets[c], optimizer });
        sameArray(picked, Array.from(alone.indices, (t) => members[t]), `${optimizer}: label ${sortedValues[c]} picks vs the class selected alone, mapped back`);
        const weightsOf = picked.map((i) => result.weights[Array.from(result.indices).indexOf(i)]);
        sameArray(weightsOf, Array.from(alone.weights), `${optimizer}: label ${sortedValues[c]} weights vs the class selected alone`);
      }
    }
  });
  add('no duplicate indices; gains non-increasing within each class and overall (lazy, naive)', async () => {
    for (const [n, d, seed] of [[500, 4, 84], [400, 32, 85], [600, 2, 86]] as const) {
      const x = blobs(n, d, seed, 4, 0.5);
      const labels = interleavedLabels([Math.floor(n / 2), n - Math.floor(n / 2)], [1, 0], seed);
      for (const optimizer of OPTIMIZERS) {
        for (const withLabels of [false, true]) {
          const result = await lib.selectCoreset(x, { dim: d, budget: 60, optimizer, labels: withLabels ? labels : undefined, seed: 1 });
          const what = `${optimizer}, n=${n} d=${d}${withLabels ? ', labels' : ''}`;
          equal(result.indices.length, 60, `${what}: picks`);
          noDuplicates(result.indices, n, what);
          for (let p = 0; p < result.gains.length; p++) ok(result.gains[p] >= 0 && Number.isFinite(result.gains[p]), `${what}: gains[${p}] = ${result.gains[p]}`);
          if (optimizer === 'stochastic') continue;
          for (let p = 1; p < result.gains.length; p++) {
            ok(result.gains[p] <= result.gains[p - 1] * (1 + 1e-9), `${what}: merged gains increase at ${p}: ${result.gains[p - 1]} then ${result.gains[p]}`);
          }
          for (const cls of withLabels ? [0, 1] : []) {
            const gains = Array.from(result.gains).filter((_, p) => labels[result.indices[p]] === cls);
            for (let p = 1; p < gains.length; p++) ok(gains[p] <= gains[p - 1] * (1 + 1e-9), `${what}: class ${cls} gains increase at ${p}: ${gains[p - 1]} then ${gains[p]}`);
          }
        }
      }
    }
  });

  return list;
}
