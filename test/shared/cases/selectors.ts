// The AdaCore, CRAIG and random selectors on gradients of a seeded linear model on the Fashion-MNIST
// slice: EMA state, fingerprint, the source option, threads, hessianPower 0, seeded random subsets
// (and, in its old place in the run order, an abort of the in-thread partitioned optimizer).
import { close, equal, ok, rejects, sameArray } from '../assert.ts';
import { blobs, fashion, gaussian, random } from '../data.ts';
import { caseList, expectAdacoreError, isAbortError, timerAbort } from './helpers.ts';
import type { Case, Lib } from './types.ts';

/** Fingerprint of the AdaCore case's selection, computed in Node; every runtime must match it. */
const ADACORE_FINGERPRINT = -868559812;

export function selectorCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  // Gradients from a seeded linear model on the slice.
  const fashionBatch = (seed: number) => {
    const { rows, dim, vectors, labels } = fashion();
    const normal = gaussian(random(seed));
    const weights = Float32Array.from({ length: dim * 10 }, () => normal() * 0.05);
    const logits = new Float32Array(rows * 10);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < dim; j++) {
        const x = vectors[i * dim + j];
        if (x !== 0) for (let c = 0; c < 10; c++) logits[i * 10 + c] += x * weights[j * 10 + c];
      }
    }
    return { batch: lib.softmaxCrossEntropyFromLogits(logits, rows, 10, labels), labels };
  };

  add('AdaCore selector: two rounds keep the EMA of D^2 (bias-corrected), weights sum to n, class budgets exact, same result in every runtime', async () => {
    const first = fashionBatch(1), second = fashionBatch(2);
    const selector = new lib.AdaCoreSelector();
    await selector.select(first.batch, { labels: first.labels, fraction: 0.1 });
    const result = await selector.select(second.batch, { labels: second.labels, fraction: 0.1 });
    equal(result.method, 'adacore', 'method');
    equal(result.round, 2, 'round');
    const n = first.batch.rows;
    close(result.weights.reduce((a, b) => a + b, 0), n, 0, 'weights sum to n');
    const sizes = new Map<number, number>(), picked = new Map<number, number>();
    for (const label of first.labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
    for (const i of result.indices) picked.set(first.labels[i], (picked.get(first.labels[i]) ?? 0) + 1);
    const classes = [...sizes.keys()].sort((a, b) => a - b);
    sameArray(classes.map((c) => picked.get(c) ?? 0), lib.classBudgets(classes.map((c) => sizes.get(c)!), result.budget), 'per-class counts');
    const state = selector.state!;
    const beta = 0.9;
    for (const k of [0, 17, 1234, n * 10 - 1]) {
      const d1 = first.batch.hessianDiagonals![k], d2 = second.batch.hessianDiagonals![k];
      close(state.secondMoment[k], beta * (1 - beta) * d1 * d1 + (1 - beta) * d2 * d2, 1e-5, `V[${k}]`, 1e-12);
    }
    close(state.biasCorrection, 1 - beta * beta, 1e-12, 'bias correction 1 - beta^2');
    // the same in Node, Deno and Chromium: a fingerprint of this deterministic selection
    let fingerprint = 0;
    result.indices.forEach((index, p) => { fingerprint = (Math.imul(fingerprint, 31) + index * 7 + result.weights[p]) | 0; });
    equal(fingerprint, ADACORE_FINGERPRINT, 'fingerprint of indices and weights (computed once in Node)');
  });

  add('the source option: select({ fraction }) takes each round\'s batch from it (round numbers 1, 2; sync or async), the same as passing the batch; errors name source', async () => {
    const batches = [fashionBatch(1), fashionBatch(2)];
    for (const method of ['adacore', 'craig', 'random']) {
      const rounds: number[] = [];
      const fromSource = lib.createSelector(method, {
        seed: 3,
        // the first round's batch synchronously, the second's through a Promise
        source: (round: number) => { rounds.push(round); return round === 1 ? batches[0].batch : Promise.resolve(batches[1].batch); },
      });
      const direct = lib.createSelector(method, { seed: 3 });
      for (const { batch, labels } of batches) {
        const a = await fromSource.select({ labels, fraction: 0.1 });
        const b = await direct.select(batch, { labels, fraction: 0.1 });
        sameArray(a.indices, b.indices, `${method}: indices from the source vs the batch`);
        sameArray(a.weights, b.weights, `${method}: weights from the source vs the batch`);
        equal(a.round, b.round, `${method}: round`);
      }
      sameArray(rounds, [1, 2], `${method}: the source was called once per round with its number`);
      // a batch passed explicitly wins over the source (which is then not called)
      await fromSource.select(batches[0].batch, { labels: batches[0].labels, fraction: 0.1 });
      sameArray(rounds, [1, 2], `${method}: an explicit batch does not call the source`);
    }
    const labels = batches[0].labels;
    const none = await rejects(() => lib.createSelector('adacore').select({ labels, fraction: 0.1 }), 'no batch and no source');
    expectAdacoreError(lib, none, 'source', /no gradient batch and the selector has no source option/, 'no batch and no source');
    const notFunction = await rejects(async () => lib.createSelector('craig', { source: batches[0].batch }), 'a source that is not a function');
    expectAdacoreError(lib, notFunction, 'source', /expected a function \(round\) => GradientBatch/, 'a source that is not a function');
    const returnsNothing = await rejects(() => new lib.AdaCoreSelector({ source: () => undefined }).select({ labels, fraction: 0.1 }), 'a source returning nothing');
    expectAdacoreError(lib, returnsNothing, 'source', /returned undefined for round 1/, 'a source returning nothing');
    // what the source returns is checked like a batch passed in: here, a NaN gradient
    const bad = fashionBatch(1).batch;
    bad.gradients[25] = NaN;
    const nan = await rejects(() => new lib.AdaCoreSelector({ source: () => bad }).select({ labels, fraction: 0.1 }), 'a source with a NaN');
    expectAdacoreError(lib, nan, 'gradients', /row 2/, 'a NaN from the source names the row');
  });

  add('AdaCore and CRAIG selectors: partitioned by default, threads 2 = threads 1, lazy on request', async () => {
    const { batch, labels } = fashionBatch(5);
    // the slice's classes (about 60 rows) are below partitionSize: force parts to exercise the optimizer
    const options = { partitionSize: 20 };
    try {
      for (const method of ['adacore', 'craig']) {
        const one = await lib.createSelector(method, options).select(batch, { labels, fraction: 0.2 });
        const two = await lib.createSelector(method, { ...options, threads: 2 }).select(batch, { labels, fraction: 0.2 });
        equal(one.optimizer, 'partitioned', `${method}: default optimizer`);
        equal(two.threads, lib.workersAvailable() ? 2 : 1, `${method}: threads`);
        sameArray(two.indices, one.indices, `${method}: indices with 2 threads`);
        sameArray(two.weights, one.weights, `${method}: weights with 2 threads`);
        const lazy = await lib.createSelector(method, { ...options, optimizer: 'lazy' }).select(batch, { labels, fraction: 0.2 });
        equal(lazy.optimizer, 'lazy', `${method}: optimizer on request`);
      }
    } finally {
      lib.releaseWorkers();
    }
  });
  // not a selector case, but it has always run here, between them
  add('partitioned, in-thread: an abort from a timer during the selection rejects with an AbortError', async () => {
    const x = blobs(12000, 16, 4949);
    const abort = timerAbort();
    const pending = lib.selectCoreset(x, {
      dim: 16, budget: 1200, optimizer: 'partitioned', partitionSize: 1000, signal: abort.signal, onProgress: abort.onProgress,
    });
    const error = await rejects(() => pending, 'aborted partitioned selection').finally(abort.clear);
    ok(isAbortError(error), `expected an AbortError, got ${error?.name}: ${error?.message}`);
  });

  add('AdaCore with hessianPower 0 selects what CRAIG selects', async () => {
    const { batch, labels } = fashionBatch(3);
    const adacore = await new lib.AdaCoreSelector({ hessianPower: 0 }).select(batch, { labels, fraction: 0.1 });
    const craig = await lib.createSelector('craig').select(batch, { labels, fraction: 0.1 });
    sameArray(adacore.indices, craig.indices, 'indices');
    sameArray(adacore.weights, craig.weights, 'weights');
  });

  add('random selector: seeded, per-class exact, weights n_c / k_c summing to n; a reused selector draws anew', async () => {
    const { batch, labels } = fashionBatch(4);
    const a = await lib.createSelector('random', { seed: 9 }).select(batch, { labels, fraction: 0.1 });
    const b = await lib.createSelector('random', { seed: 9 }).select(batch, { labels, fraction: 0.1 });
    sameArray(a.indices, b.indices, 'same seed, same rows');
    close(a.weights.reduce((x, y) => x + y, 0), batch.rows, 1e-6, 'weights sum to n');
    equal(new Set(a.indices).size, a.indices.length, 'distinct rows');
    const reused = lib.createSelector('random', { seed: 9 });
    await reused.select(batch, { labels, fraction: 0.1 });
    const again = await reused.select(batch, { labels, fraction: 0.1 });
    ok(Array.from(again.indices).some((v, i) => v !== a.indices[i]), 'a second round draws a different subset');
  });

  return list;
}
