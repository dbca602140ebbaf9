import { it, expect } from 'vitest';
import { selectCoreset, referenceSelectCoreset } from '../../src/index.js';
function rand(seed: number) { let s = seed; return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; }; }
it('smoke', async () => {
  const r = rand(1); const n = 500, d = 13;
  const x = new Float32Array(n * d).map(() => r() * 2 - 1);
  for (const optimizer of ['naive', 'lazy', 'stochastic'] as const) for (const metric of ['euclidean','sqeuclidean','cosine'] as const) {
    const a = await selectCoreset(x, { dim: d, budget: 50, optimizer, metric, seed: 3 });
    const b = referenceSelectCoreset(x, { dim: d, budget: 50, optimizer, metric, seed: 3 });
    console.log(optimizer, metric, a.path, a.seconds, a.cost, b.cost, a.evaluations, b.evaluations);
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    const t = await selectCoreset(x, { dim: d, budget: 50, optimizer, metric, seed: 3, memoryBudget: 0 });
    expect(t.path).toBe('tiled');
    expect(Array.from(t.indices)).toEqual(Array.from(b.indices));
  }
});
