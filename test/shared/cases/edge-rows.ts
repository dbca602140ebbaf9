// Degenerate rows: many exact duplicates, all-identical and all-zero rows give distinct picks and
// exact weights, gains and cost (peer-defect regressions: docs/algorithms.md, section "peer defects").
import { close, equal, fail } from '../assert.ts';
import { blobs, permutation } from '../data.ts';
import { caseList, checkClusters, METRICS, noDuplicates, OPTIMIZERS, sameAsReference } from './helpers.ts';
import type { Case, Lib } from './types.ts';

export function edgeRowCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  /** 6 distinct rows, 50 exact copies of each, shuffled. */
  const duplicates = () => {
    const d = 4, distinct = 6, copies = 50;
    const base = blobs(distinct, d, 87, 6, 3);
    const order = permutation(distinct * copies, 13);
    const x = new Float32Array(distinct * copies * d);
    order.forEach((slot, i) => x.set(base.subarray((slot % distinct) * d, (slot % distinct + 1) * d), i * d));
    return { x, d, distinct, n: distinct * copies, labels: Int32Array.from({ length: distinct * copies }, (_, i) => i % 3) };
  };
  add('many exact duplicate rows: terminates with distinct indices and correct weights (more picks than distinct rows)', async () => {
    const { x, d, distinct, n, labels } = duplicates();
    for (const metric of METRICS) {
      for (const optimizer of OPTIMIZERS) {
        for (const withLabels of [false, true]) {
          for (const blockMemory of [undefined, 0]) {
            const options = { dim: d, budget: 12, optimizer, metric, seed: 5, labels: withLabels ? labels : undefined, blockMemory };
            const what = `${optimizer}, ${metric}${withLabels ? ', labels' : ''}${blockMemory === 0 ? ', tiled' : ''}`;
            const result = await lib.selectCoreset(x, options);
            equal(result.indices.length, 12, `${what}: picks`);
            noDuplicates(result.indices, n, what);
            checkClusters(x, d, options.labels, result, metric, what);
            if (!withLabels && optimizer !== 'stochastic') {
              const rows = new Set(Array.from(result.indices.subarray(0, distinct), (i) => Array.from(x.subarray(i * d, (i + 1) * d)).join()));
              equal(rows.size, distinct, `${what}: the first ${distinct} picks cover every distinct row`);
            }
          }
        }
      }
    }
  });
  add('all-identical rows, and all-zero rows (cosine distance 1 between distinct rows, 0 to itself): distinct indices, weights and gains as the reference, on both paths', async () => {
    for (const fill of [0, 1.5]) {
      const same = new Float32Array(40 * 3).fill(fill);
      for (const metric of METRICS) {
        for (const optimizer of OPTIMIZERS) {
          for (const blockMemory of [undefined, 0]) {
            const options = { dim: 3, budget: 5, optimizer, metric, blockMemory };
            const what = `40 identical rows (${fill}), ${optimizer}, ${metric}${blockMemory === 0 ? ', tiled' : ''}`;
            const result = await lib.selectCoreset(same, options);
            noDuplicates(result.indices, 40, what);
            checkClusters(same, 3, undefined, result, metric, what);
            sameAsReference(result, lib.referenceSelectCoreset(same, options), what, { x: same, dim: 3, metric });
          }
        }
      }
    }
  });
  add('exact duplicate rows are at distance 0: gains and cost equal the reference, copies of a picked row gain nothing', async () => {
    const { x, d, distinct } = duplicates();
    const failures: string[] = [];
    for (const metric of METRICS) {
      for (const optimizer of ['lazy', 'naive'] as const) {
        for (const blockMemory of [undefined, 0]) try {
          const options = { dim: d, budget: 12, optimizer, metric, blockMemory };
          const what = `${optimizer}, ${metric}${blockMemory === 0 ? ', tiled' : ''}`;
          const result = await lib.selectCoreset(x, options);
          const expected = lib.referenceSelectCoreset(x, options);
          equal(expected.cost, 0, `reference ${what}: cost once every distinct row is picked`);
          sameAsReference(result, expected, what, { x, dim: d, metric });
          for (let p = distinct; p < result.gains.length; p++) {
            close(result.gains[p], 0, 0, `${what}: gains[${p}] (row ${result.indices[p]}, a copy of a picked row)`, 1e-6 * result.gains[0]);
          }
          close(result.cost, 0, 0, `${what}: cost once every distinct row is picked`, 1e-6 * result.gains[0]);
          close(await lib.facilityLocationCost(x, d, result.indices, metric), 0, 0, `${what}: facilityLocationCost of the picks`, 1e-6 * result.gains[0]);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    }
    if (failures.length > 0) fail(`${failures.length} of 12 runs failed:\n${failures.join('\n')}`);
  });

  return list;
}
