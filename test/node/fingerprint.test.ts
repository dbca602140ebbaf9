// Behaviour-preserving refactors are held to this: every optimizer, metric, path and selector
// on the committed Fashion-MNIST slice (examples/data/fashion-mnist-slice) gives the same
// indices, weights, gains and cost, bit for bit, as the code did when the fixture was written
// (test/fixtures/fingerprints.json). Regenerate only for an intended change of results:
// UPDATE_FINGERPRINTS=1 npx vitest run test/node/fingerprint.test.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as adacore from '../../dist/adacore.mjs';
import { random } from '../shared/data.ts';

const FIXTURE = new URL('../fixtures/fingerprints.json', import.meta.url);
const SLICE = new URL('../../examples/data/fashion-mnist-slice/', import.meta.url);
const lib = adacore as any;

/** FNV-1a over the bytes of a typed array, as 8 hex digits. */
function hash(values: ArrayBufferView): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function fingerprint(c: any): Record<string, unknown> {
  return {
    indices: hash(c.indices), weights: hash(c.weights), gains: hash(c.gains),
    cost: c.cost, path: c.path, evaluations: c.evaluations, count: c.indices.length,
  };
}

async function slice() {
  const images = await lib.readIdxMatrix(readFileSync(new URL('train-images-idx3-ubyte.gz', SLICE)), { scale: 1 / 255 });
  const labels = await lib.readIdxLabels(readFileSync(new URL('train-labels-idx1-ubyte.gz', SLICE)));
  // logits of a fixed random linear model: 10-d vectors like a selection round's
  const uniform = random(7);
  const weights = Float32Array.from({ length: images.dim * 10 }, () => uniform() - 0.5);
  const logits = new Float32Array(images.rows * 10);
  for (let i = 0; i < images.rows; i++) {
    for (let c = 0; c < 10; c++) {
      let z = 0;
      for (let j = 0; j < images.dim; j++) z += images.data[i * images.dim + j] * weights[j * 10 + c];
      logits[i * 10 + c] = z;
    }
  }
  return { images, labels: Int32Array.from(labels), logits };
}

async function fingerprints(): Promise<Record<string, unknown>> {
  const { images, labels, logits } = await slice();
  const out: Record<string, unknown> = {};
  const pixels = images.data as Float32Array;
  const dim = images.dim;
  for (const metric of ['euclidean', 'sqeuclidean', 'cosine']) {
    for (const optimizer of ['lazy', 'naive', 'stochastic', 'partitioned']) {
      const options = { dim, labels, fraction: 0.05, metric, optimizer, seed: 3 };
      out[`pixels ${metric} ${optimizer}`] = fingerprint(await lib.selectCoreset(pixels, options));
    }
    out[`pixels ${metric} partitioned (parts of 64)`] = fingerprint(await lib.selectCoreset(pixels, { dim, labels, fraction: 0.1, metric, optimizer: 'partitioned', partitionSize: 64, seed: 5 }));
    out[`pixels ${metric} lazy tiled`] = fingerprint(await lib.selectCoreset(pixels, { dim, labels, fraction: 0.05, metric, blockMemory: 0 }));
    out[`pixels ${metric} partitioned tiled`] = fingerprint(await lib.selectCoreset(pixels, { dim, labels, fraction: 0.1, metric, optimizer: 'partitioned', partitionSize: 64, blockMemory: 0 }));
  }
  out['pixels no labels lazy'] = fingerprint(await lib.selectCoreset(pixels, { dim, budget: 60 }));
  out['pixels no labels partitioned'] = fingerprint(await lib.selectCoreset(pixels, { dim, budget: 60, optimizer: 'partitioned' }));
  out['pixels lazy threads 2'] = fingerprint(await lib.selectCoreset(pixels, { dim, labels, fraction: 0.05, threads: 2 }));
  out['pixels stochastic sampleSize 7'] = fingerprint(await lib.selectCoreset(pixels, { dim, labels, fraction: 0.05, optimizer: 'stochastic', sampleSize: 7, seed: 11 }));
  out['pixels stochastic epsilon 0.3'] = fingerprint(await lib.selectCoreset(pixels, { dim, labels, fraction: 0.05, optimizer: 'stochastic', epsilon: 0.3, seed: 11 }));
  for (const metric of ['euclidean', 'sqeuclidean', 'cosine']) {
    out[`logits ${metric} lazy`] = fingerprint(await lib.selectCoreset(logits, { dim: 10, labels, fraction: 0.1, metric }));
    out[`logits ${metric} partitioned`] = fingerprint(await lib.selectCoreset(logits, { dim: 10, labels, fraction: 0.1, metric, optimizer: 'partitioned', partitionSize: 96 }));
  }
  const batch = lib.softmaxCrossEntropyFromLogits(logits, images.rows, 10, labels);
  for (const preconditioning of ['per-example', 'shared']) {
    const selector = lib.createSelector('adacore', { preconditioning, partitionSize: 128 });
    for (let round = 1; round <= 2; round++) {
      out[`adacore ${preconditioning} round ${round}`] = fingerprint(await selector.select(batch, { labels, fraction: 0.1 }));
    }
  }
  out['adacore lazy hessianPower 0.5'] = fingerprint(await lib.createSelector('adacore', { optimizer: 'lazy', hessianPower: 0.5 }).select(batch, { labels, fraction: 0.05 }));
  out['craig partitioned'] = fingerprint(await lib.createSelector('craig', { partitionSize: 128 }).select(batch, { labels, fraction: 0.1 }));
  out['craig stochastic'] = fingerprint(await lib.createSelector('craig', { optimizer: 'stochastic', epsilon: 0.2, seed: 4 }).select(batch, { labels, fraction: 0.1 }));
  const randomSelector = lib.createSelector('random', { seed: 9, measureCost: true });
  out['random round 1'] = fingerprint(await randomSelector.select(batch, { labels, fraction: 0.1 }));
  out['random round 2'] = fingerprint(await randomSelector.select(batch, { labels, fraction: 0.1 }));
  lib.releaseWorkers();
  return out;
}

describe('fingerprints on the committed Fashion-MNIST slice', () => {
  it('every optimizer, metric, path and selector gives the recorded indices, weights, gains and cost', async () => {
    const now = await fingerprints();
    if (process.env.UPDATE_FINGERPRINTS === '1' || !existsSync(FIXTURE)) {
      writeFileSync(FIXTURE, `${JSON.stringify(now, null, 1)}\n`);
      if (process.env.UPDATE_FINGERPRINTS !== '1') throw new Error('wrote a missing test/fixtures/fingerprints.json: check it in and rerun');
    }
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    expect(Object.keys(now).length).toBeGreaterThan(40);
    expect(now).toEqual(recorded);
  });
});
