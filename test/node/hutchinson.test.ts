// The trainer's Hutchinson source: its gradients are the last layer's, and its Hessian-diagonal
// estimates are unbiased (their mean over many probes approaches the exact closed-form diagonal);
// through train(), adacore with source 'hutchinson' trains as well as a random subset.
import { beforeAll, describe, expect, it } from 'vitest';
import { hutchinsonLastLayer } from '../../src/train/hutchinson.ts';
import { gaussian, random } from '../shared/data.ts';
// @ts-ignore: the bundle is plain JS
import * as tfl from '../../dist/adacore-tf.mjs';
// @ts-ignore: the bundle is plain JS
import * as core from '../../dist/adacore.mjs';

const lib = { ...(core as any), ...(tfl as any) };

function problem(rows: number, f: number, outputs: number, seed: number) {
  const normal = gaussian(random(seed));
  const h = Float32Array.from({ length: rows * f }, normal);
  const z = Float32Array.from({ length: rows * outputs }, normal);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % Math.max(2, outputs));
  return { h, z, labels };
}

/** Exact last-layer gradients and Hessian diagonals in a Dense layer's order (kernel then bias). */
function exact(h: Float32Array, z: Float32Array, labels: Int32Array, rows: number, f: number, outputs: number) {
  const dim = (f + 1) * outputs;
  const g = new Float64Array(rows * dim), d = new Float64Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const zi = Array.from(z.subarray(i * outputs, (i + 1) * outputs));
    let p: number[];
    if (outputs === 1) p = [1 / (1 + Math.exp(-zi[0]))];
    else { const m = Math.max(...zi); const e = zi.map((v) => Math.exp(v - m)); const s = e.reduce((a, b) => a + b); p = e.map((v) => v / s); }
    for (let j = 0; j <= f; j++) {
      const a = j === f ? 1 : h[i * f + j];
      for (let c = 0; c < outputs; c++) {
        const y = outputs === 1 ? labels[i] : labels[i] === c ? 1 : 0;
        g[i * dim + j * outputs + c] = a * (p[c] - y);
        d[i * dim + j * outputs + c] = a * a * p[c] * (1 - p[c]);
      }
    }
  }
  return { g, d };
}

// the bundle's own tfjs (a second copy of tfjs-core would re-register every kernel)
let tf: any;
beforeAll(async () => { await lib.initBackend(['cpu']); tf = lib.getTf(); });

describe('hutchinsonLastLayer', () => {
  for (const outputs of [1, 3]) {
    it(`${outputs === 1 ? 'binary logistic' : 'softmax'}: exact gradients, and the diagonal estimate converges to the exact one`, async () => {
      const rows = 5, f = 4;
      const { h, z, labels } = problem(rows, f, outputs, 3);
      const features = tf.tensor2d(h, [rows, f]), logits = tf.tensor2d(z, [rows, outputs]);
      const want = exact(h, z, labels, rows, f, outputs);
      const before = tf.memory().numTensors;
      const many = await hutchinsonLastLayer({ tf, features, logits, labels, seed: 1, round: 0, probes: 2000 });
      const one = await hutchinsonLastLayer({ tf, features, logits, labels, seed: 1, round: 0, probes: 1 });
      expect(tf.memory().numTensors).toBe(before);
      expect(many.dim).toBe((f + 1) * outputs);
      for (let k = 0; k < want.g.length; k++) expect(many.gradients[k]).toBeCloseTo(want.g[k], 5);
      let error = 0, total = 0, errorOne = 0;
      for (let k = 0; k < want.d.length; k++) {
        error += Math.abs(many.hessianDiagonals[k] - want.d[k]);
        errorOne += Math.abs(one.hessianDiagonals[k] - want.d[k]);
        total += Math.abs(want.d[k]);
      }
      // one probe is off (off-diagonal terms leak in); 2000 probes average them out
      expect(error / total).toBeLessThan(0.1);
      if (outputs > 1) expect(errorOne / total).toBeGreaterThan(error / total);
      // the same seed and round give the same probes; another round, others
      const again = await hutchinsonLastLayer({ tf, features, logits, labels, seed: 1, round: 0, probes: 1 });
      const next = await hutchinsonLastLayer({ tf, features, logits, labels, seed: 1, round: 1, probes: 1 });
      expect(Array.from(again.hessianDiagonals)).toEqual(Array.from(one.hessianDiagonals));
      if (outputs > 1) expect(Array.from(next.hessianDiagonals)).not.toEqual(Array.from(one.hessianDiagonals));
      features.dispose(); logits.dispose();
    });
  }
});

describe("train with source 'hutchinson'", () => {
  it('re-selects AdaCore coresets of an MLP and a softmax regression every epoch, trains, and leaks no tensors', async () => {
    const normal = gaussian(random(5));
    const rows = 240, dim = 6;
    const y = Int32Array.from({ length: rows }, (_, i) => i % 3);
    const x = Float32Array.from({ length: rows * dim }, (_, k) => normal() + (y[Math.floor(k / dim)] === k % dim ? 2.5 : 0));
    // last-layer on a linear model: its features are x itself, which a round must not dispose
    for (const [model, source] of [['mlp', 'hutchinson'], ['softmax', 'hutchinson'], ['softmax', 'last-layer']]) {
      const selections: number[] = [];
      const before = lib.getTf().memory().numTensors;
      const result = await lib.train({
        x, y, dim, model, hidden: [8], method: 'adacore', fraction: 0.25, every: 1, optimizer: 'adam', learningRate: 0.03,
        batchSize: 16, epochs: 4, source, seed: 2,
        callbacks: { onSelection: (s: any) => { selections.push(s.epoch); } },
      });
      expect(lib.getTf().memory().numTensors).toBe(before);
      expect(selections, model).toEqual([0, 1, 2, 3]);
      expect(result.curve[result.curve.length - 1].loss).toBeLessThan(result.curve[0].loss);
      expect(result.finalAccuracy, model).toBeGreaterThan(0.6);
    }
  });
});
