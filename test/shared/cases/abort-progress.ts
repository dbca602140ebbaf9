// AbortSignal and onProgress: an already-aborted signal, aborts during a selection (from
// onProgress and from a timer), and the progress reports' invariants.
import { equal, ok, rejects } from '../assert.ts';
import { blobs } from '../data.ts';
import { caseList, interleavedLabels, isAbortError, OPTIMIZERS, timerAbort } from './helpers.ts';
import type { Case, Lib, Progress } from './types.ts';

export function abortProgressCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  add('an already-aborted signal rejects with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejects(() => lib.selectCoreset(blobs(50, 3, 97), { dim: 3, budget: 5, signal: controller.signal }), 'aborted signal');
    ok(isAbortError(error), `expected an AbortError, got ${(error as Error)?.name}: ${(error as Error)?.message}`);
    const reason = new AbortController();
    const custom = new Error('stop now');
    reason.abort(custom);
    const error2 = await rejects(() => lib.selectCoreset(blobs(50, 3, 97), { dim: 3, budget: 5, signal: reason.signal }), 'aborted with a reason');
    ok(error2 === custom || isAbortError(error2), `expected the abort reason or an AbortError, got ${(error2 as Error)?.name}: ${(error2 as Error)?.message}`);
  });
  add('aborting during a larger selection (n=3000, d=256, naive) rejects with an AbortError', async () => {
    // d = 256: the distance build alone spans several 30-ms slices on a fast machine (the
    // greedy's compacted rows can make the picks quick)
    const x = blobs(3000, 256, 98);
    const controller = new AbortController();
    const seen: Progress[] = [];
    const error = await rejects(() => lib.selectCoreset(x, {
      dim: 256, budget: 300, optimizer: 'naive', signal: controller.signal,
      onProgress: (progress: Progress) => { seen.push(progress); if (seen.length === 2) controller.abort(); },
    }), 'aborted during the selection');
    ok(isAbortError(error), `expected an AbortError, got ${(error as Error)?.name}: ${(error as Error)?.message}`);
    ok(seen.length >= 2, `onProgress should have run before the abort (${seen.length} calls)`);
    ok(seen.length <= 4, `the selection should stop soon after the abort, but onProgress ran ${seen.length} times`);
    // and from a timer, which fires only if the selection yields to the event loop
    const timed = timerAbort();
    const error2 = await rejects(() => lib.selectCoreset(x, {
      dim: 256, budget: 300, optimizer: 'naive', signal: timed.signal, onProgress: timed.onProgress,
    }), 'aborted by a timer').finally(timed.clear);
    ok(isAbortError(error2), `expected an AbortError from the timer abort, got ${(error2 as Error)?.name}: ${(error2 as Error)?.message}`);
  });
  add('onProgress is called with done <= total and selected <= budget', async () => {
    const x = blobs(1500, 32, 99);
    const labels = interleavedLabels([700, 800], [5, 2], 15);
    for (const optimizer of OPTIMIZERS) {
      const seen: Progress[] = [];
      const budget = 60;
      const result = await lib.selectCoreset(x, { dim: 32, labels, budget, optimizer, onProgress: (p: Progress) => seen.push({ ...p }) });
      ok(seen.length >= 1, `${optimizer}: onProgress never called`);
      for (const p of seen) {
        const what = `${optimizer}: progress ${JSON.stringify(p)}`;
        ok(['distances', 'bounds', 'greedy'].includes(p.phase), `${what}: phase`);
        ok(p.done >= 0 && p.done <= p.total, `${what}: done <= total`);
        ok(p.selected >= 0 && p.selected <= p.budget, `${what}: selected <= budget`);
        equal(p.budget, budget, `${what}: budget`);
        ok(p.classIndex >= 0 && p.classIndex < p.classCount && p.classCount === 2, `${what}: class index`);
      }
      for (let t = 1; t < seen.length; t++) ok(seen[t].selected >= seen[t - 1].selected, `${optimizer}: selected went down at call ${t}`);
      equal(seen[seen.length - 1].selected, budget, `${optimizer}: last progress call's selected`);
      equal(result.indices.length, budget, `${optimizer}: picks`);
    }
  });

  return list;
}
