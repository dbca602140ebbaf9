// Threads: per-class ground sets in parallel Workers give the in-thread result bit for bit;
// errors, aborts and a throwing onProgress inside Workers; the threads option's checks.
import { equal, ok, rejects, sameArray } from '../assert.ts';
import { blobs } from '../data.ts';
import { caseList, expectAdacoreError, interleavedLabels, isAbortError, timerAbort } from './helpers.ts';
import type { Case, Lib, Progress } from './types.ts';

export function threadsCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  add('threads: 3 Workers give the in-thread result bit for bit (partitioned and lazy, 5 classes), and report threads', async () => {
    if (!lib.workersAvailable()) throw new Error('workersAvailable() is false in a runtime that has Workers');
    const x = blobs(2500, 9, 4545, 20);
    const labels = interleavedLabels([700, 600, 500, 400, 300], [4, 0, 2, 1, 3], 8);
    try {
      for (const optimizer of ['partitioned', 'lazy']) {
        const options = { dim: 9, labels, fraction: 0.08, optimizer, partitionSize: 200, seed: 21 };
        const here = await lib.selectCoreset(x, options);
        equal(here.threads, 1, `${optimizer}: threads in-thread`);
        const progress: Progress[] = [];
        const parallel = await lib.selectCoreset(x, { ...options, threads: 3, onProgress: (p: Progress) => progress.push(p) });
        equal(parallel.threads, 3, `${optimizer}: threads with Workers`);
        sameArray(parallel.indices, here.indices, `${optimizer}: indices`);
        sameArray(parallel.weights, here.weights, `${optimizer}: weights`);
        sameArray(parallel.gains, here.gains, `${optimizer}: gains`);
        equal(parallel.cost, here.cost, `${optimizer}: cost`);
        equal(parallel.evaluations, here.evaluations, `${optimizer}: evaluations`);
        ok(progress.length >= 5 && progress.every((p) => p.selected <= p.budget), `${optimizer}: progress as each class finishes`);
      }
      // a second selection reuses the kept Workers
      const again = await lib.selectCoreset(x, { dim: 9, labels, budget: 50, threads: 2 });
      equal(again.threads, 2, 'threads on reuse');
    } finally {
      lib.releaseWorkers();
    }
  });
  add('threads: an error inside a Worker names the caller\'s row; an abort rejects with an AbortError; a throwing onProgress rejects', async () => {
    const x = blobs(600, 4, 4646);
    const labels = Int32Array.from({ length: 600 }, (_, i) => i % 3);
    x[4 * 301] = 3e19; // row 301 (class 1): finite, but too large for float32 distances
    try {
      const error = await rejects(() => lib.selectCoreset(x, { dim: 4, labels, budget: 30, threads: 3 }), 'a row too large');
      expectAdacoreError(lib, error, 'vectors', /row 301 is too large/, 'a row too large, in a Worker');
      // three small classes and a large one: the abort is set off (from a timer) when the first
      // class is done, while the large one is still running in a Worker
      const y = blobs(6000, 16, 4747);
      const ylabels = Int32Array.from({ length: 6000 }, (_, i) => (i < 1500 ? i % 3 : 3));
      const abort = timerAbort();
      const pending = lib.selectCoreset(y, {
        dim: 16, labels: ylabels, budget: 600, threads: 2, optimizer: 'naive', signal: abort.signal, onProgress: abort.onProgress,
      });
      const aborted = await rejects(() => pending, 'aborted selection with threads').finally(abort.clear);
      ok(isAbortError(aborted), `expected an AbortError, got ${aborted?.name}: ${aborted?.message}`);
      // an onProgress that throws ends the selection with its error (no hang)
      const thrown = await rejects(() => lib.selectCoreset(blobs(600, 4, 4646), {
        dim: 4, labels, budget: 30, threads: 3, onProgress: () => { throw new Error('stop from onProgress'); },
      }), 'onProgress throws');
      equal(thrown.message, 'stop from onProgress', 'the onProgress error');
      // the pool recovers: the next selection with threads works
      const clean = blobs(600, 4, 4646);
      equal((await lib.selectCoreset(clean, { dim: 4, labels, budget: 30, threads: 3 })).threads, 3, 'threads after an abort');
    } finally {
      lib.releaseWorkers();
    }
  });
  add('threads: 0, 1.5 and 1000 are rejected', async () => {
    const x = blobs(50, 3, 1);
    for (const threads of [0, 1.5, 1000]) {
      const error = await rejects(() => lib.selectCoreset(x, { dim: 3, budget: 5, threads }), `threads ${threads}`);
      expectAdacoreError(lib, error, 'threads', /expected an integer from 1 to 256/, `threads ${threads}`);
    }
  });

  return list;
}
