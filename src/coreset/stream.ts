// Selection from a stream of row blocks: data that need not fit in memory. A stream is an
// async iterable of blocks (flat row-major Float32Array / Float64Array, or { rows, labels }), or
// a function returning a new one each time it is called, which lets the rows be read more than
// once. If the whole stream fits in memoryBudget (or none is set) its rows are gathered and
// selected exactly as in memory: the same result. Otherwise it runs out of core, holding one
// block, one part per class and the parts' picks: a first read counts the rows of each class
// (the class budgets); a second one cuts each class into parts of consecutive rows and keeps
// each part's lazy-greedy picks (oversampled, with their cluster sizes); a weighted merge on
// each class's picks chooses its budget (on spatial parts of the union when it is too large for
// one dense block: weighted-merge.ts); a third read gives every row its nearest pick, so the
// weights and the cost are exact. docs/scale.md, section 4.
import { AdacoreError, check } from '../errors.js';
import { acquireKernels, paddedWidth, releaseKernels } from '../kernels/wasm.js';
import { AUTO_PART_SIZE } from '../optimizers/auto.js';
import { runGreedy } from '../optimizers/greedy-run.js';
import { lazyPicks } from '../optimizers/lazy.js';
import { resolveBudget, resolveOptions, type ResolvedOptions, type SelectOptions } from '../options/select.js';
import { assignToPicks } from '../select/assign.js';
import { classBudgets } from '../select/budget.js';
import { interleaveByGain } from '../select/classes.js';
import { packGroundSet, type PackedPoints } from '../select/ground-set.js';
import { metricDescriptor } from '../select/metric.js';
import { Pacer, now } from '../select/pacer.js';
import { partBudgets } from '../select/parts.js';
import { flatRows } from '../select/vectors.js';
import type { ResolvedOptions as Resolved } from '../options/select.js';
import type { Coreset } from './types.js';
import { mergeWeighted, type WeightedMergeKind } from './weighted-merge.js';

/** selectWithConfig, passed in by select-coreset.ts (which imports this file). */
type InMemory = (vectors: Float32Array | Float64Array, data: SelectOptions, config: Resolved) => Promise<Coreset>;

export type RowBlock = Float32Array | Float64Array | { rows: Float32Array | Float64Array; labels?: ArrayLike<number> };
export type RowStream = AsyncIterable<RowBlock> | (() => AsyncIterable<RowBlock>);

/** The smallest part the out-of-core path shrinks to under a tight memoryBudget. */
const MIN_STREAM_PART = 128;

/** Whether `value` is a RowStream rather than rows in memory. */
export function isRowStream(value: unknown): value is RowStream {
  return typeof value === 'function' || (value != null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function');
}

interface Block { rows: Float32Array | Float64Array; labels: ArrayLike<number> | undefined; first: number; count: number }

/** The stream's blocks, checked, with their first row's position; `pass` names the read in errors. */
async function* blocks(source: RowStream, dim: number, pass: number): AsyncGenerator<Block> {
  const iterable = typeof source === 'function' ? source() : source;
  check(iterable != null && typeof iterable[Symbol.asyncIterator] === 'function', 'vectors', 'the stream function must return an async iterable of row blocks');
  let first = 0;
  for await (const block of iterable) {
    const rows = block instanceof Float32Array || block instanceof Float64Array ? block : block?.rows;
    const labels = block instanceof Float32Array || block instanceof Float64Array ? undefined : block?.labels;
    check(rows instanceof Float32Array || rows instanceof Float64Array, 'vectors', `block at row ${first} (read ${pass}): expected a Float32Array, a Float64Array or { rows, labels }`);
    check(rows.length % dim === 0, 'vectors', `block at row ${first}: its length ${rows.length} is not a multiple of dim ${dim}`);
    const count = rows.length / dim;
    for (let k = 0; k < rows.length; k++) {
      if (!Number.isFinite(rows[k])) throw new AdacoreError('vectors', `row ${first + Math.floor(k / dim)}, column ${k % dim} is ${rows[k]}; every value must be a finite number`);
    }
    if (labels !== undefined) check(labels.length === count, 'labels', `block at row ${first} has ${count} rows but ${labels.length} labels`);
    yield { rows, labels, first, count };
    first += count;
  }
}

/** selectCoreset on a RowStream (see the top of this file). */
export async function selectStream(source: RowStream, options: SelectOptions, inMemory: InMemory): Promise<Coreset> {
  const started = now();
  const config = resolveOptions(options);
  const dim = options.dim;
  check(dim !== undefined && Number.isInteger(dim) && dim > 0, 'dim', 'required with a stream of row blocks (the length of each row)');
  const reReadable = typeof source === 'function';
  const limit = config.memoryBudget;
  // read 1: count the rows and classes; gather them while they fit
  const labelOf = new Map<number, number>(); // label value -> rows
  const labelsGiven: number[] = [];
  let gathered: { rows: (Float32Array | Float64Array)[]; bytes: number } | undefined = { rows: [], bytes: 0 };
  let n = 0;
  let float64 = false;
  for await (const block of blocks(source, dim, 1)) {
    config.signal?.throwIfAborted();
    float64 ||= block.rows instanceof Float64Array;
    for (let i = 0; i < block.count; i++) {
      const label = block.labels === undefined ? (options.labels === undefined ? 0 : Number(options.labels[block.first + i])) : Number(block.labels[i]);
      if (!Number.isInteger(label)) throw new AdacoreError('labels', `label ${block.first + i} is ${label}; labels must be integers`);
      labelOf.set(label, (labelOf.get(label) ?? 0) + 1);
      if (block.labels !== undefined || options.labels !== undefined) labelsGiven.push(label);
    }
    n += block.count;
    if (gathered !== undefined) {
      gathered.rows.push(block.rows.slice());
      gathered.bytes += block.rows.byteLength;
      // twice the rows (gathered, then packed) must stay within the budget to select in memory
      if (limit !== undefined && 2 * gathered.bytes > limit) {
        if (!reReadable) throw readOnce(n);
        gathered = undefined;
      }
    }
  }
  check(n > 0, 'vectors', 'zero rows: nothing to select from');
  const labels = labelsGiven.length === n ? Int32Array.from(labelsGiven) : undefined;
  if (options.labels !== undefined) check(options.labels.length === n, 'labels', `expected ${n} labels (one per row of the stream), got ${options.labels.length}`);
  if (gathered !== undefined) {
    const data = float64 ? new Float64Array(n * dim) : new Float32Array(n * dim);
    let at = 0;
    for (const rows of gathered.rows) { data.set(rows, at); at += rows.length; }
    gathered = undefined;
    const coreset = await inMemory(data, { ...options, dim, labels }, config);
    return { ...coreset, seconds: (now() - started) / 1000 };
  }
  return selectOutOfCore(source, dim, n, labelOf, config, options, started);
}

function readOnce(rows: number): AdacoreError {
  return new AdacoreError('vectors', `the stream's first ${rows} rows are already more than memoryBudget allows in memory, and it can be read only once; `
    + 'pass a function that returns a new async iterable each call (out of core, the rows are read three times)');
}

async function selectOutOfCore(
  source: RowStream, dim: number, n: number, labelOf: Map<number, number>, config: ResolvedOptions, options: SelectOptions, started: number,
): Promise<Coreset> {
  const values = [...labelOf.keys()].sort((a, b) => a - b);
  const classOf = new Map(values.map((v, c) => [v, c]));
  const sizes = values.map((v) => labelOf.get(v)!);
  const budget = resolveBudget(options, n);
  const budgets = classBudgets(sizes, budget);
  const width = paddedWidth(dim);
  // the merge: dense when the union of a class's oversampled picks fits a dense block, else on spatial parts of it
  const kinds: WeightedMergeKind[] = budgets.map((b) => ((config.oversampling * b) ** 2 * 4 <= config.blockMemory ? 'dense' : 'spatial'));
  const denseUnion = Math.max(0, ...budgets.filter((_, c) => kinds[c] === 'dense').map((b) => config.oversampling * b));
  const kept = budgets.reduce((sum, b) => sum + b, 0) * config.oversampling;
  // held at once: one part per class (float64 rows, indices), the picks' rows, a part's or the merge's kernel arena
  const planned = (part: number) => values.length * part * (dim * 8 + 4) + kept * (dim * 8 + 24)
    + Math.max(part, kept) * (2 * width * 4 + 64) + Math.max(part ** 2, denseUnion ** 2) * 4;
  // parts of at least AUTO_PART_SIZE rows (closer to exact greedy), smaller where the budget demands
  let partSize = Math.max(config.partitionSize, AUTO_PART_SIZE);
  while (config.memoryBudget !== undefined && planned(partSize) > config.memoryBudget && partSize > MIN_STREAM_PART) partSize = Math.max(MIN_STREAM_PART, partSize >> 1);
  const plannedBytes = planned(partSize);
  if (config.memoryBudget !== undefined && plannedBytes > config.memoryBudget) {
    throw new AdacoreError('memoryBudget', `streaming ${n} rows in ${values.length} classes needs about ${(plannedBytes / 2 ** 20).toFixed(2)} MiB `
      + `(parts of ${partSize} rows per class and the parts' picks) but memoryBudget is ${(config.memoryBudget / 2 ** 20).toFixed(2)} MiB; `
      + `a budget of ${budget} rows needs at least ${(planned(MIN_STREAM_PART) / 2 ** 20).toFixed(2)} MiB`);
  }
  const pacer = new Pacer(config.signal, config.onProgress);
  const labelAt = (block: Block, i: number) => classOf.get(block.labels === undefined ? (options.labels === undefined ? 0 : Number(options.labels[block.first + i])) : Number(block.labels[i]))!;
  // each class's parts: rows of consecutive blocks, and the picks kept from them
  const classes = values.map((_, c) => ({
    buffer: new Float64Array(partSize * dim), rows: 0, indices: new Int32Array(partSize),
    picks: [] as number[], pickRows: [] as number[], weights: [] as number[], partGains: [] as number[],
  }));
  let evaluations = 0;
  const kernels = await acquireKernels();
  try {
    const flush = async (c: number) => {
      const k = classes[c];
      if (k.rows === 0) return;
      // the part's oversampled share: the merge chooses the budget from the union
      const share = partBudgets([k.rows], sizes[c], budgets[c], config.oversampling)[0];
      const points = packGroundSet(flatRows(k.buffer.subarray(0, k.rows * dim), k.rows, dim, (t) => k.indices[t]), Int32Array.from({ length: k.rows }, (_, t) => t), config.metric, width);
      const run = share > 0 ? await runGreedy(kernels, points, Math.min(share, k.rows), { ...config, seed: config.seed }, pacer, () => frame('partitions', 0, 1, 0), lazyPicks) : undefined;
      const clusterSize = new Float64Array(k.rows);
      if (run) { for (const owner of run.nearest) clusterSize[owner]++; evaluations += run.evaluations; }
      run?.picks.forEach((p, r) => {
        k.picks.push(k.indices[p]);
        for (let j = 0; j < dim; j++) k.pickRows.push(k.buffer[p * dim + j]);
        k.weights.push(clusterSize[p]);
        k.partGains.push(run.gains[r]);
      });
      k.rows = 0;
    };
    const frame = (phase: 'partitions' | 'greedy' | 'assignment', done: number, total: number, picked: number) => ({ phase, done, total, selected: picked, budget, classIndex: 0, classCount: values.length });
    // read 2: the parts
    for await (const block of blocks(source, dim, 2)) {
      for (let i = 0; i < block.count; i++) {
        const c = labelAt(block, i), k = classes[c];
        k.buffer.set(block.rows.subarray(i * dim, (i + 1) * dim), k.rows * dim);
        k.indices[k.rows++] = block.first + i;
        if (k.rows === partSize) await flush(c);
      }
      await pacer.tick(() => frame('partitions', block.first + block.count, n, 0));
    }
    for (let c = 0; c < classes.length; c++) await flush(c);
    // each class's picks: all of them when the union is no larger than the budget, else the merge
    const chosen = classes.map((k, c) => {
      const union = k.picks.length;
      if (union <= budgets[c]) {
        const order = Array.from({ length: union }, (_, u) => u).sort((a, b) => k.partGains[b] - k.partGains[a] || a - b).slice(0, budgets[c]);
        return { order, gains: order.map((u) => k.partGains[u]) };
      }
      return undefined;
    });
    for (let c = 0; c < classes.length; c++) {
      if (chosen[c] !== undefined) continue;
      const k = classes[c];
      const union = k.picks.length;
      const points = packGroundSet(flatRows(Float64Array.from(k.pickRows), union, dim, (u) => k.picks[u]), Int32Array.from({ length: union }, (_, u) => u), config.metric, width);
      const merge = await mergeWeighted(kernels, { points, weights: k.weights, rowOf: (u) => k.picks[u] }, budgets[c], kinds[c], config, pacer,
        () => frame('greedy', 0, budgets[c], 0), (config.seed + c) >>> 0, Math.min(AUTO_PART_SIZE, partSize));
      evaluations += merge.evaluations;
      chosen[c] = { order: merge.order, gains: merge.gains };
    }
    // read 3: every row's nearest pick of its class (one shared centre: the picks' mean)
    const picked = classes.map((k, c) => {
      const order = chosen[c]!.order;
      const rows = Float64Array.from({ length: order.length * dim }, (_, q) => k.pickRows[order[Math.floor(q / dim)] * dim + (q % dim)]);
      const centre = new Float64Array(dim);
      for (let q = 0; q < rows.length; q++) centre[q % dim] += rows[q] / order.length;
      const packed = packGroundSet(flatRows(rows, order.length, dim), Int32Array.from(order, (_, t) => t), config.metric, width, centre);
      const indices = Int32Array.from(order, (u) => k.picks[u]);
      const ownPick = new Map(Array.from(indices, (row, q) => [row, q]));
      return { indices, ownPick, gains: chosen[c]!.gains, packed, centre, rows, weights: new Float64Array(order.length) };
    });
    const exact = metricDescriptor(config.metric).exact;
    // summed per class in row order, whatever the blocks' sizes
    const classCost = new Float64Array(classes.length);
    for await (const block of blocks(source, dim, 3)) {
      config.signal?.throwIfAborted();
      const byClass = classes.map(() => [] as number[]);
      for (let i = 0; i < block.count; i++) byClass[labelAt(block, i)].push(i);
      for (let c = 0; c < classes.length; c++) {
        if (byClass[c].length === 0) continue;
        const rows = flatRows(block.rows, block.count, dim, (i) => block.first + i);
        const points: PackedPoints = packGroundSet(rows, Int32Array.from(byClass[c]), config.metric, width, picked[c].centre);
        const { pick } = assignToPicks(kernels, points, picked[c].packed, config.metric);
        // the distance again in float64: the kernel's float32 sum depends on a row's place in its block
        const pickRows = picked[c].rows;
        for (let t = 0; t < pick.length; t++) {
          const i = byClass[c][t];
          // every pick owns itself, at distance 0, as in the greedy: by distance alone a pick that
          // duplicates an earlier one (or a zero row under cosine) went to the earlier pick, weight 0
          const own = picked[c].ownPick.get(block.first + i);
          if (own !== undefined) { picked[c].weights[own]++; continue; }
          picked[c].weights[pick[t]]++;
          classCost[c] += exact(block.rows.subarray(i * dim, (i + 1) * dim), pickRows.subarray(pick[t] * dim, (pick[t] + 1) * dim));
        }
      }
      await pacer.tick(() => frame('assignment', block.first + block.count, n, budget));
    }
    const cost = classCost.reduce((a, b) => a + b, 0);
    return {
      ...mergeClasses(picked, budget), cost, path: 'stream', seconds: (now() - started) / 1000, budget, metric: config.metric,
      optimizer: kinds.includes('spatial') ? 'spatial' : 'partitioned', plannedBytes, evaluations, threads: 1,
    };
  } finally {
    releaseKernels(kernels);
  }
}

/** The classes' picks interleaved by gain (as mergeGroundSets does), with their exact weights. */
function mergeClasses(picked: { indices: Int32Array; gains: number[]; weights: Float64Array }[], budget: number): Pick<Coreset, 'indices' | 'weights' | 'gains'> {
  const indices = new Int32Array(budget), weights = new Float32Array(budget), gains = new Float64Array(budget);
  const { list, at } = interleaveByGain(picked.map((p) => p.gains));
  for (let out = 0; out < budget; out++) {
    const p = picked[list[out]], t = at[out];
    indices[out] = p.indices[t];
    weights[out] = p.weights[t];
    gains[out] = p.gains[t];
  }
  return { indices, weights, gains };
}
