// The large-n path and the memory plan: the proportional optimizer against its float64
// reference (exact weights over all parts, every pick its own), its cost against exact lazy
// greedy, what 'auto' runs, and memoryBudget (dense blocks shrink to fit; a selection that
// cannot fit is refused before any work, naming the memory it needs).
import { equal, ok, sameArray } from '../assert.ts';
import { blobs } from '../data.ts';
import { caseList, checkClusters, expectAdacoreError, identical, interleavedLabels, isAbortError, sameAsReference, timerAbort } from './helpers.ts';
import { rejects } from '../assert.ts';
import type { Case, Lib } from './types.ts';

export function largeNCases(lib: Lib): Case[] {
  const { list, add } = caseList();

  for (const [optimizer, metric] of [['proportional', 'euclidean'], ['proportional', 'cosine'], ['spatial', 'euclidean'], ['spatial', 'cosine']]) {
    add(`${optimizer} equals its reference and weighs every row to its exact nearest pick: n=1400 d=6 in 2 classes, ${metric}`, async () => {
      const x = blobs(1400, 6, 5151, 12);
      const labels = interleavedLabels([800, 600], [1, 0], 17);
      const options = { dim: 6, labels, budget: 70, optimizer, partitionSize: 200, metric, seed: 5 };
      const expected = lib.referenceSelectCoreset(x, options);
      const result = await lib.selectCoreset(x, options);
      equal(result.optimizer, optimizer, 'optimizer');
      sameAsReference(result, expected, optimizer, undefined, { gainAbs: 5e-4 * Math.max(...expected.gains), reportedTies: true });
      checkClusters(x, 6, labels, result, metric, optimizer);
      equal(Array.from(result.weights).reduce((a, b) => a + b, 0), 1400, 'weights sum to n');
      identical(await lib.selectCoreset(x, options), result, 'same seed');
    });
  }
  add('proportional: cost within 15 % of exact lazy greedy on 4,000 clustered points (10 %, parts of 500), closer with larger parts', async () => {
    // no merge round corrects the parts' choices: each part spends its share on its own rows
    const x = blobs(4000, 8, 5252, 60, 0.6);
    const lazy = await lib.selectCoreset(x, { dim: 8, budget: 400, optimizer: 'lazy' });
    const result = await lib.selectCoreset(x, { dim: 8, budget: 400, optimizer: 'proportional', partitionSize: 500 });
    const larger = await lib.selectCoreset(x, { dim: 8, budget: 400, optimizer: 'proportional', partitionSize: 2000 });
    equal(result.indices.length, 400, 'exactly the budget');
    ok(result.cost <= lazy.cost * 1.15, `proportional cost ${result.cost} should be within 15 % of lazy greedy's ${lazy.cost}`);
    ok(result.cost >= lazy.cost * 0.95, `proportional cost ${result.cost} far below lazy greedy's ${lazy.cost}`);
    ok(larger.cost < result.cost, `parts of 2,000 (${larger.cost}) should beat parts of 500 (${result.cost})`);
    checkClusters(x, 8, undefined, result, 'euclidean', 'proportional');
  });
  add("auto runs exact lazy greedy on ground sets of up to 16,384 rows, pick for pick", async () => {
    const x = blobs(900, 5, 5353);
    const auto = await lib.selectCoreset(x, { dim: 5, budget: 45 });
    const lazy = await lib.selectCoreset(x, { dim: 5, budget: 45, optimizer: 'lazy' });
    equal(auto.optimizer, 'lazy', 'optimizer');
    sameArray(auto.indices, lazy.indices, 'indices');
    sameArray(auto.weights, lazy.weights, 'weights');
  });
  add('auto leaves exact greedy once the dense block would not fit blockMemory (5,000 rows, a 64 MiB block limit)', async () => {
    const x = blobs(5000, 4, 5858, 20);
    const fits = await lib.selectCoreset(x, { dim: 4, budget: 50 });
    equal(fits.optimizer, 'lazy', 'a 100 MB block fits the default 512 MiB');
    const limited = await lib.selectCoreset(x, { dim: 4, budget: 50, blockMemory: 64 * 2 ** 20 });
    equal(limited.optimizer, 'spatial', 'exact greedy would take the tiled path');
    equal(Array.from(limited.weights).reduce((a, b) => a + b, 0), 5000, 'weights sum to n');
    ok(limited.cost <= fits.cost * 1.05, `spatial's cost ${limited.cost} within 5 % of lazy's ${fits.cost}`);
  });
  add('auto on a ground set of 17,000 rows: spatial while its merge block fits blockMemory, proportional beyond; weights sum to n', async () => {
    const x = blobs(17000, 4, 5656, 30);
    const small = await lib.selectCoreset(x, { dim: 4, budget: 100 });
    equal(small.optimizer, 'spatial', 'a 100-row budget merges (a union of about 1,536 rows)');
    const large = await lib.selectCoreset(x, { dim: 4, budget: 500, blockMemory: 2 ** 20 });
    equal(large.optimizer, 'proportional', 'with a 1 MiB blockMemory the 1,500-row union cannot merge densely');
    for (const [what, r] of [['spatial', small], ['proportional', large]] as const) {
      equal(Array.from(r.weights).reduce((a, b) => a + b, 0), 17000, `${what}: weights sum to n`);
      equal(new Set(r.indices).size, r.indices.length, `${what}: no row twice`);
    }
  });
  // (Deno once gave other picks here: a Worker ran the task posted ahead at the running one's
  // awaits; src/parallel/serve.ts now runs a Worker's tasks one at a time)
  for (const optimizer of ['partitioned', 'spatial', 'proportional']) {
    add(`one ground set on 2 threads (its parts and assignment in Workers) gives what 1 thread gives: ${optimizer}, d = 40`, async () => {
      // d = 40: the proportional optimizer's assignment takes the kernel that runs in Workers
      const x = blobs(3000, 40, 5757, 25);
      const options = { dim: 40, budget: 150, optimizer, partitionSize: 400, seed: 3 };
      const one = await lib.selectCoreset(x, options);
      const two = await lib.selectCoreset(x, { ...options, threads: 2 });
      equal(two.threads, 2, 'threads used');
      equal(one.threads, 1, 'threads used');
      sameArray(two.indices, one.indices, 'indices');
      sameArray(two.weights, one.weights, 'weights');
      sameArray(two.gains, one.gains, 'gains');
      equal(two.cost, one.cost, 'cost');
    });
  }
  // exact greedy on one ground set: its dense block is built on every thread (dense-build.ts);
  // 2,103 rows (not a multiple of 4 or of the 64-row tile), d = 100 (from 96 floats a row)
  for (const [optimizer, metric] of [['lazy', 'euclidean'], ['lazy', 'cosine'], ['naive', 'sqeuclidean'], ['stochastic', 'euclidean']]) {
    add(`one ground set of exact greedy on 2 and 3 threads (its dense block shared with Workers) gives what 1 thread gives: ${optimizer}, ${metric}`, async () => {
      const x = blobs(2103, 100, 5858, 12);
      const options = { dim: 100, budget: 120, optimizer, metric, seed: 4 };
      const one = await lib.selectCoreset(x, options);
      equal(one.threads, 1, 'threads used by 1');
      // other rows of the same shape in between, so no entry of the block can be left from the run before
      const other = blobs(2103, 100, 6060, 12);
      try {
        for (const threads of [2, 3]) {
          await lib.selectCoreset(other, options);
          const more = await lib.selectCoreset(x, { ...options, threads });
          equal(more.threads, threads, `threads used by ${threads}`);
          equal(more.path, 'dense', 'path');
          ok(more.plannedBytes > one.plannedBytes, `the plan counts the Workers' parts: ${more.plannedBytes} > ${one.plannedBytes}`);
          sameArray(more.indices, one.indices, `${threads} threads: indices`);
          sameArray(more.weights, one.weights, `${threads} threads: weights`);
          sameArray(more.gains, one.gains, `${threads} threads: gains`);
          equal(more.cost, one.cost, `${threads} threads: cost`);
          equal(more.evaluations, one.evaluations, `${threads} threads: evaluations`);
        }
      } finally {
        lib.releaseWorkers();
      }
    });
  }
  add('an abort during a dense build shared with a Worker rejects with an AbortError, and the next selection on 2 threads works', async () => {
    const x = blobs(4000, 100, 6161, 12);
    const abort = timerAbort();
    try {
      const aborted = await rejects(() => lib.selectCoreset(x, { dim: 100, budget: 100, threads: 2, signal: abort.signal, onProgress: abort.onProgress }), 'aborted').finally(abort.clear);
      ok(isAbortError(aborted), `expected an AbortError, got ${aborted?.name}: ${aborted?.message}`);
      const after = await lib.selectCoreset(x.subarray(0, 2100 * 100), { dim: 100, budget: 50, threads: 2 });
      equal(after.threads, 2, 'threads after the abort');
    } finally {
      lib.releaseWorkers();
    }
  });
  add('exact greedy on one ground set keeps one thread where sharing its block would not pay (d = 10) or not fit memoryBudget', async () => {
    const narrow = blobs(2200, 10, 5959);
    const low = await lib.selectCoreset(narrow, { dim: 10, budget: 50, threads: 2 });
    equal(low.threads, 1, 'd = 10: built here alone');
    const x = blobs(2103, 100, 5858, 12);
    const alone = await lib.selectCoreset(x, { dim: 100, budget: 50 });
    try {
      // room for the one-thread plan, not for the Workers' parts as well
      const memoryBudget = alone.plannedBytes + 2 ** 20;
      const limited = await lib.selectCoreset(x, { dim: 100, budget: 50, threads: 2, memoryBudget });
      equal(limited.threads, 1, 'the shared build does not fit: one thread');
      equal(limited.path, 'dense', 'still the dense block');
      ok(limited.plannedBytes <= memoryBudget, `plannedBytes ${limited.plannedBytes} within ${memoryBudget}`);
      sameArray(limited.indices, alone.indices, 'indices');
    } finally {
      lib.releaseWorkers();
    }
  });
  add('memoryBudget: a budget too small for the dense block gives the tiled path with the same picks; plannedBytes stays within it', async () => {
    const x = blobs(1200, 6, 5454);
    const dense = await lib.selectCoreset(x, { dim: 6, budget: 60, optimizer: 'lazy' });
    const limited = await lib.selectCoreset(x, { dim: 6, budget: 60, optimizer: 'lazy', memoryBudget: 3 * 2 ** 20 });
    equal(dense.path, 'dense', 'unlimited: dense');
    equal(limited.path, 'tiled', '3 MiB: the 5.5 MiB block does not fit');
    ok(limited.plannedBytes <= 3 * 2 ** 20 && limited.plannedBytes > 1200 * 6 * 4, `plannedBytes ${limited.plannedBytes}`);
    ok(dense.plannedBytes > 1200 * 1200 * 4, `the dense plan counts its block: ${dense.plannedBytes}`);
    sameArray(limited.indices, dense.indices, 'indices');
    sameArray(limited.weights, dense.weights, 'weights');
  });
  add('memoryBudget: a selection that cannot fit is refused up front, naming the memory it needs and what would fit', async () => {
    const x = blobs(2000, 16, 5555);
    let reported = 0;
    const error = await rejects(() => lib.selectCoreset(x, { dim: 16, budget: 100, memoryBudget: 100_000, onProgress: () => { reported++; } }), 'a 100 kB budget');
    expectAdacoreError(lib, error, 'memoryBudget', /needs about [\d.]+ MiB \(the 2000 x 16 input .* but memoryBudget is 0\.1 MiB; .*a memoryBudget of at least [\d.]+ MiB/, '100 kB');
    equal(reported, 0, 'no progress: refused before any work');
  });
  // streams: blocks of rows, read through a function (re-readable) or once (an async generator)
  const streamOf = (x: Float32Array, dim: number, rowsPerBlock: number, labels?: Int32Array) => () => ({
    async *[Symbol.asyncIterator]() {
      for (let first = 0; first * dim < x.length; first += rowsPerBlock) {
        const rows = x.slice(first * dim, Math.min(x.length, (first + rowsPerBlock) * dim));
        yield labels ? { rows, labels: labels.slice(first, first + rows.length / dim) } : rows;
      }
    },
  });
  add('a stream that fits gives exactly the in-memory result, from a function or a one-shot generator, labels in the blocks', async () => {
    const x = blobs(1500, 5, 5858);
    const labels = interleavedLabels([900, 600], [0, 1], 4);
    const expected = await lib.selectCoreset(x, { dim: 5, labels, budget: 60 });
    const fromFunction = await lib.selectCoreset(streamOf(x, 5, 256, labels), { dim: 5, budget: 60 });
    identical(fromFunction, expected, 'function stream');
    const once = streamOf(x, 5, 100)();
    identical(await lib.selectCoreset(once, { dim: 5, labels, budget: 60 }), expected, 'one-shot stream, labels as an option');
  });
  add('a stream larger than memoryBudget runs out of core: exact weights, the budget met, cost near exact greedy; a one-shot one is refused', async () => {
    // 6,000 x 16 float32 rows are 384 kB: gathered and packed they would not fit 600 kB
    const x = blobs(6000, 16, 5959, 20, 0.6);
    const labels = interleavedLabels([3600, 2400], [1, 0], 9);
    const lazy = await lib.selectCoreset(x, { dim: 16, labels, budget: 120, optimizer: 'lazy' });
    const memoryBudget = 600_000;
    const result = await lib.selectCoreset(streamOf(x, 16, 500, labels), { dim: 16, budget: 120, memoryBudget });
    equal(result.path, 'stream', 'path');
    equal(result.indices.length, 120, 'exactly the budget');
    checkClusters(x, 16, labels, result, 'euclidean', 'stream');
    ok(result.cost <= lazy.cost * 1.1, `stream cost ${result.cost} within 10 % of lazy greedy's ${lazy.cost}`);
    ok(result.plannedBytes <= memoryBudget, `planned ${result.plannedBytes}`);
    identical(await lib.selectCoreset(streamOf(x, 16, 700, labels), { dim: 16, budget: 120, memoryBudget }), result, 'blocks of another size, the same result');
    expectAdacoreError(lib, await rejects(() => lib.selectCoreset(streamOf(x, 16, 500, labels), { dim: 16, budget: 120, memoryBudget: 100_000 }), 'tiny'),
      'memoryBudget', /streaming 6000 rows in 2 classes needs about [\d.]+ MiB .* but memoryBudget is 0\.10 MiB/, 'a 100 kB budget');
    const error = await rejects(() => lib.selectCoreset(streamOf(x, 16, 500, labels)(), { dim: 16, budget: 120, memoryBudget }), 'one-shot');
    expectAdacoreError(lib, error, 'vectors', /can be read only once; pass a function that returns a new async iterable/, 'one-shot');
  });
  add('out of core with a merge too large for one dense block: merged on spatial parts of the union, not exact shares of runs of rows', async () => {
    // eight noisy copies of 1,000 points, each copy a run of consecutive rows: every part of the
    // stream sees the same region, so exact shares per part (the former rule) kept it eight
    // times over (1.31x lazy greedy's cost); a spatial merge of the union stays near lazy (1.05x)
    const distinct = 1000, copies = 8, d = 16, n = distinct * copies;
    const base = blobs(distinct, d, 7070, 40, 0.8);
    const noise = blobs(n, d, 7171, 1, 0.005);
    const x = Float32Array.from({ length: n * d }, (_, q) => base[q % (distinct * d)] + noise[q]);
    const lazy = await lib.selectCoreset(x, { dim: d, budget: 200, optimizer: 'lazy' });
    const result = await lib.selectCoreset(streamOf(x, d, 1000), { dim: d, budget: 200, memoryBudget: 500_000, blockMemory: 1_000_000 });
    equal(result.path, 'stream', 'path');
    equal(result.optimizer, 'spatial', 'the merge ran on spatial parts');
    equal(result.indices.length, 200, 'exactly the budget');
    checkClusters(x, d, undefined, result, 'euclidean', 'stream');
    ok(result.cost <= lazy.cost * 1.12, `stream cost ${result.cost} within 12 % of lazy greedy's ${lazy.cost}`);
  });
  add('npyRowBlocks reads a .npy a block at a time: the same selection as the file in memory, and rows by index', async () => {
    const x = blobs(700, 4, 6060);
    const bytes = lib.encodeNpy(x, [700, 4]);
    const file = { size: bytes.length, read: async (offset: number, length: number) => bytes.slice(offset, offset + length) };
    const npy = await lib.npyRowBlocks(file, { rowsPerBlock: 64, source: 'x.npy' });
    equal(npy.rows, 700, 'rows'); equal(npy.dim, 4, 'dim');
    identical(await lib.selectCoreset(npy.blocks, { dim: 4, budget: 30 }), await lib.selectCoreset(lib.readNpyMatrix(bytes).data, { dim: 4, budget: 30 }), 'stream vs memory');
    sameArray(await npy.readRows([5, 0]), Float32Array.from([...x.subarray(20, 24), ...x.subarray(0, 4)]), 'readRows');
    const cut = { size: bytes.length - 8, read: file.read };
    expectAdacoreError(lib, await rejects(() => lib.npyRowBlocks(cut, { source: 'x.npy' }), 'truncated'), 'x.npy', /truncated/, 'truncated');
  });
  add('stream errors name the block and row: a ragged block, a NaN, a missing dim', async () => {
    const ragged = () => ({ async *[Symbol.asyncIterator]() { yield new Float32Array(8); yield new Float32Array(7); } });
    expectAdacoreError(lib, await rejects(() => lib.selectCoreset(ragged, { dim: 4, budget: 1 }), 'ragged'), 'vectors', /block at row 2: its length 7 is not a multiple of dim 4/, 'ragged');
    const nan = () => ({ async *[Symbol.asyncIterator]() { yield new Float32Array(8); yield Float32Array.from([1, 2, NaN, 4]); } });
    expectAdacoreError(lib, await rejects(() => lib.selectCoreset(nan, { dim: 4, budget: 1 }), 'NaN'), 'vectors', /row 2, column 2 is NaN/, 'NaN');
    expectAdacoreError(lib, await rejects(() => lib.selectCoreset(nan, { budget: 1 }), 'no dim'), 'dim', /required with a stream/, 'no dim');
  });
  return list;
}
