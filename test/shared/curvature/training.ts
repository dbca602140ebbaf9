// The trainer (adacore/tf's train) in every runtime: a seed gives the same learning curve on
// the same backend everywhere (fingerprints recorded in Node), and no tensors leak. Re-record
// the fingerprints only for an intended change of results (e.g. a new default).
import { equal } from '../assert.ts';
import { blobs } from '../data.ts';
import { backendSwitch, caseList } from './helpers.ts';
import type { CurvatureCase, TfLib } from './types.ts';

/** The curve's fingerprint, computed in Node: losses and accuracies (not the seconds), per backend and run. */
const CURVE_FINGERPRINTS: Record<string, number> = {
  'cpu mlp, adacore, sgd': 668890797,
  'cpu logistic, craig, lbfgs': 2085967610,
  'wasm mlp, adacore, sgd': 1035922959,
  'wasm logistic, craig, lbfgs': 1412871992,
};

/** FNV-1a over the curve's numbers (loss, accuracy, steps, rows), as float32 bits. */
function fingerprint(curve: Record<string, number | string | null>[]): number {
  const values = new Float32Array(curve.flatMap((p) => [p.loss as number, p.accuracy as number, p.steps as number, p.rows as number]));
  const bytes = new Uint8Array(values.buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h | 0;
}

export function trainingCases(lib: TfLib): CurvatureCase[] {
  const { list, add } = caseList();
  const tf = lib.getTf();
  const use = backendSwitch(lib);
  const labelsOf = (rows: number, classes: number) => Int32Array.from({ length: rows }, (_, i) => i % classes);
  const runs: Record<string, () => Promise<{ curve: Record<string, number | string | null>[] }>> = {
    'mlp, adacore, sgd': () => lib.train({
      x: blobs(120, 6, 1, 3), y: labelsOf(120, 3), dim: 6, model: 'mlp', hidden: [8], method: 'adacore', fraction: 0.3,
      optimizer: 'sgd', batchSize: 9, epochs: 3, seed: 4,
    }),
    'logistic, craig, lbfgs': () => lib.train({
      x: blobs(160, 5, 2, 2), y: labelsOf(160, 2), dim: 5, model: 'logistic', method: 'craig', fraction: 0.2,
      optimizer: 'lbfgs', epochs: 3, iterations: 4, seed: 1,
    }),
  };

  for (const backend of ['cpu', 'wasm']) {
    add(`[${backend}] train: a seed gives the same learning curve in every runtime (an MLP on AdaCore coresets with SGD; logistic regression on a CRAIG coreset with L-BFGS)`, async () => {
      await use(backend);
      for (const [name, run] of Object.entries(runs)) {
        const first = fingerprint((await run()).curve);
        equal(fingerprint((await run()).curve), first, `${name}: a second run`);
        const key = `${backend} ${name}`;
        equal(first, CURVE_FINGERPRINTS[key], `${key}: the curve Node records`);
      }
    });
  }

  add('[wasm] train: tf.memory().numTensors is flat across epochs and back where it was after the run', async () => {
    await use('wasm');
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await lib.train({
      x: blobs(90, 4, 1, 5), y: labelsOf(90, 3), dim: 4, model: 'softmax', method: 'adacore', fraction: 0.5, optimizer: 'adam',
      batchSize: 5, epochs: 4, callbacks: { onEpochEnd: () => { counts.push(tf.memory().numTensors); } },
    });
    equal(new Set(counts).size, 1, `tensors at each epoch's end: ${counts.join(', ')}`);
    equal(tf.memory().numTensors, before, 'tensors after the run');
  });

  return list;
}
