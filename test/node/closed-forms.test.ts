// The two implementations of softmax cross-entropy's closed form agree: the plain-TypeScript
// one in the core bundle (softmaxCrossEntropyFromLogits: the CLI's --logits and callers
// without tfjs) and the tfjs one in adacore/tf (softmaxCrossEntropy, on any backend). They are
// kept apart on purpose: the core bundle stays free of tfjs.
import { describe, expect, it } from 'vitest';
// @ts-ignore: the bundles are plain JS; their types live in dist/types
import { softmaxCrossEntropyFromLogits } from '../../dist/adacore.mjs';
// @ts-ignore: see above
import { initBackend, softmaxCrossEntropy } from '../../dist/adacore-tf.mjs';
import { gaussian, random } from '../shared/data.ts';

describe('softmax cross-entropy: core (plain TypeScript) = adacore/tf (tfjs)', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`on tfjs ${backend}, logits from -60 to 60`, async () => {
      await initBackend([backend]);
      const rows = 500, classes = 7;
      const normal = gaussian(random(99));
      const logits = Float32Array.from({ length: rows * classes }, (_, k) => normal() * (k % 5 === 0 ? 20 : 3));
      const labels = Int32Array.from({ length: rows }, (_, i) => (i * 3) % classes);
      const core = softmaxCrossEntropyFromLogits(logits, rows, classes, labels);
      const tf = await softmaxCrossEntropy({ logits, labels });
      expect(tf.backend).toBe(backend);
      expect([tf.rows, tf.dim]).toEqual([core.rows, core.dim]);
      let worst = 0;
      for (let k = 0; k < rows * classes; k++) {
        worst = Math.max(worst, Math.abs(core.gradients[k] - tf.gradients[k]), Math.abs(core.hessianDiagonals[k] - tf.hessianDiagonals[k]));
      }
      expect(worst).toBeLessThan(1e-6);
    });
  }
});
