// Determinism: the same seed gives a bit-identical result, different seeds different stochastic
// selections (each still equal to the reference).
import { ok } from '../assert.ts';
import { blobs } from '../data.ts';
import { caseList, identical, interleavedLabels, OPTIMIZERS, sameAsReference } from './helpers.ts';
import type { Case, Lib } from './types.ts';

export function determinismCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  add('same seed gives an identical result (every optimizer, with labels)', async () => {
    const x = blobs(400, 9, 77);
    const labels = interleavedLabels([150, 130, 120], [2, 0, 1], 5);
    for (const optimizer of OPTIMIZERS) {
      const options = { dim: 9, labels, budget: 30, optimizer, seed: 12345 };
      const a = await lib.selectCoreset(x, options);
      const b = await lib.selectCoreset(x, options);
      identical(b, a, `${optimizer}, second run`);
      sameAsReference(a, lib.referenceSelectCoreset(x, options), `${optimizer} vs reference`);
    }
  });
  add('different seeds give different stochastic selections (each equal to the reference)', async () => {
    const x = blobs(600, 8, 78);
    const picks: string[] = [];
    for (const seed of [1, 2, 3]) {
      const options = { dim: 8, budget: 30, optimizer: 'stochastic', seed };
      const result = await lib.selectCoreset(x, options);
      sameAsReference(result, lib.referenceSelectCoreset(x, options), `seed ${seed}`);
      picks.push(Array.from(result.indices).join(','));
    }
    ok(picks[0] !== picks[1] && picks[1] !== picks[2] && picks[0] !== picks[2], `seeds 1, 2, 3 should give different selections, got ${picks.join(' | ')}`);
  });

  return list;
}
