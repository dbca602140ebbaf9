// Quality measures: facilityLocationCost equals the returned cost; the coreset's gradientError is
// below that of random subsets of the same size (Fashion-MNIST slice).
import { close, ok } from '../assert.ts';
import { blobs, fashion, permutation } from '../data.ts';
import { caseList, METRICS, OPTIMIZERS } from './helpers.ts';
import type { Case, Lib } from './types.ts';

export function qualityCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  add('facilityLocationCost of the selection equals the returned cost (random data, every metric; Fashion slice per class)', async () => {
    const x = blobs(400, 10, 100);
    for (const metric of METRICS) {
      for (const optimizer of OPTIMIZERS) {
        const result = await lib.selectCoreset(x, { dim: 10, budget: 25, metric, optimizer });
        close(await lib.facilityLocationCost(x, 10, result.indices, metric), result.cost, 1e-4, `${optimizer}, ${metric}`);
      }
    }
    const { vectors, labels, dim } = fashion();
    for (const metric of METRICS) {
      const result = await lib.selectCoreset(vectors, { dim, labels, budget: 60, metric });
      close(await lib.facilityLocationCost(vectors, dim, result.indices, metric, labels), result.cost, 1e-4, `Fashion per class, ${metric}`);
    }
  });
  add('gradientError of the coreset is finite and below that of a seeded random subset of the same size (Fashion slice)', async () => {
    const { vectors, labels, dim, rows } = fashion();
    for (const [budget, withLabels] of [[30, false], [60, false], [60, true], [120, true]] as const) {
      const result = await lib.selectCoreset(vectors, { dim, budget, labels: withLabels ? labels : undefined });
      const error = lib.gradientError(vectors, dim, result.indices, result.weights);
      ok(Number.isFinite(error) && error >= 0, `budget ${budget}: gradientError ${error}`);
      // the mean of five seeded random subsets, each row weighted n / k
      let randomError = 0;
      for (let seed = 0; seed < 5; seed++) {
        const subset = permutation(rows, 500 + seed).subarray(0, budget);
        randomError += lib.gradientError(vectors, dim, subset, new Float32Array(budget).fill(rows / budget)) / 5;
      }
      ok(error < randomError, `budget ${budget}${withLabels ? ' per class' : ''}: coreset gradientError ${error} should be below a random subset's ${randomError}`);
    }
  });

  return list;
}
