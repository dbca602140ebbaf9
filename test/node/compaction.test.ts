// The dense path's row compaction (assembly/compaction.ts compactRows) must not change a
// selection: long runs that compact several times equal the same run without compaction
// (the sparse sums run in another order, so gains agree to float32 rounding). The float64
// reference can differ at near-ties (here at pick 160, gains 1.592310 vs 1.592299), so it is
// held to the cost only.
import { describe, expect, it } from 'vitest';
import { instantiateKernels, paddedWidth, type KernelExports } from '../../src/kernels/wasm.js';
import { optimizerByName } from '../../src/optimizers/registry.js';
import { resolveOptions } from '../../src/options/select.js';
import { packGroundSet } from '../../src/select/ground-set.js';
import { Pacer } from '../../src/select/pacer.js';
import { toRows } from '../../src/select/vectors.js';
import { referenceSelectCoreset, mulberry32 } from '../../src/reference/greedy.js';

function points(n: number, d: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  // clustered, like gradients: 20 centres with spread
  const centres = Float32Array.from({ length: 20 * d }, () => (random() / 2 ** 32) * 10);
  return Float32Array.from({ length: n * d }, (_, k) => centres[(Math.floor(k / d) % 20) * d + (k % d)] + random() / 2 ** 32 - 0.5);
}

describe('row compaction', () => {
  for (const optimizer of ['lazy', 'naive', 'stochastic'] as const) {
    it(`${optimizer}: compacts several times and equals the run without compaction`, async () => {
      const n = 1500, d = 8, budget = 200;
      const x = points(n, d, 5);
      const kernels = await instantiateKernels();
      let compactions = 0;
      // wasm exports are frozen: count compactions through a copy of the exports object
      const counting: KernelExports = {
        ...kernels,
        compactRows: (...args: Parameters<KernelExports['compactRows']>) => {
          const kept = kernels.compactRows(...args);
          if (kept >= 0) compactions++;
          return kept;
        },
      };
      const config = { ...resolveOptions({ optimizer, seed: 3 }), seed: 3, compaction: true };
      const rows = toRows(x, d);
      const packed = packGroundSet(rows, Int32Array.from({ length: n }, (_, i) => i), config.metric, paddedWidth(d));
      const frame = (phase: 'distances' | 'bounds' | 'greedy', done: number, total: number) =>
        ({ phase, done, total, selected: 0, budget, classIndex: 0, classCount: 1 });
      const result = await optimizerByName(optimizer).select(counting, packed, budget, config, new Pacer(undefined, undefined), frame);
      expect(result.path).toBe('dense');
      expect(compactions).toBeGreaterThanOrEqual(2);
      const plain = await optimizerByName(optimizer).select(kernels, packed, budget, { ...config, compaction: false }, new Pacer(undefined, undefined), frame);
      expect(Array.from(result.picks)).toEqual(Array.from(plain.picks));
      expect(Array.from(result.nearest)).toEqual(Array.from(plain.nearest));
      result.gains.forEach((g, p) => expect(Math.abs(g - plain.gains[p])).toBeLessThanOrEqual(1e-5 * Math.abs(plain.gains[p])));
      const reference = referenceSelectCoreset(x, { dim: d, budget, optimizer, seed: 3 });
      expect(Math.abs(result.cost - reference.cost) / reference.cost).toBeLessThan(1e-4);
    });
  }
});
