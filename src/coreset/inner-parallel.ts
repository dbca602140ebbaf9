// More threads for one ground set: its parts' greedy runs, its dense block's bands and its
// final assignment in the selection Workers (the tasks of worker-main.ts), for one large class
// or unlabelled data, where threads across classes would leave every core but one idle.
import type { Metric } from '../select/metric.js';
import type { InnerParallel, PartResult } from '../optimizers/types.js';
import { partShape } from '../optimizers/dense-build.js';
import { runInWorkers } from '../parallel/pool.js';
import { giveBackShared, sharedBuffersAvailable, takeShared } from '../parallel/shared-buffers.js';
import type { PackedPoints } from '../select/ground-set.js';
import type { TaskConfig } from './tasks.js';
import { WORKER_SOURCE } from './worker-source.js';

/** Part groups per thread: small enough to balance uneven parts, large enough to amortise a message. */
const GROUPS_PER_THREAD = 4;

export interface PartsTask {
  kind: 'parts';
  /** The group's parts' rows, packed, one part after the other. */
  data: Float32Array<ArrayBuffer>;
  width: number;
  emptyDistance: number;
  sizes: Int32Array;
  budgets: number[];
  config: TaskConfig;
}

export interface BandTask {
  kind: 'band';
  /** The ground set's packed rows from the range's first tile row on. */
  rows: Float32Array<ArrayBuffer>;
  width: number;
  metric: Metric;
  /** Tile rows in the range. */
  tiles: number;
  /** Where to write the part (then the reply is its length), where shared buffers exist. */
  out?: SharedArrayBuffer;
}

export interface AssignTask {
  kind: 'assign';
  points: Float32Array<ArrayBuffer>;
  chosen: Float32Array<ArrayBuffer>;
  width: number;
  emptyDistance: number;
  metric: Metric;
}

export function innerParallel(threads: number, signal: AbortSignal | undefined, config: TaskConfig): InnerParallel {
  return {
    threads,
    sharedParts: sharedBuffersAvailable(),
    async parts(points, parts, budgets) {
      const groups = contiguousGroups(parts.length, threads * GROUPS_PER_THREAD);
      const replies = await runInWorkers<PartResult[]>(WORKER_SOURCE, groups.length, threads, (g) => {
        const [from, to] = groups[g];
        const task = partsTask(points, parts.slice(from, to), budgets.slice(from, to), config);
        return { payload: task, transfer: [task.data.buffer] };
      }, signal, () => {});
      return replies.flat();
    },
    async denseBands(rows, metric, ranges, place) {
      const shared = ranges.map(([s, e], b) => takeShared(partShape(rows[b].count, e - s).length * 4));
      try {
        const replies = await runInWorkers<Float32Array | number>(WORKER_SOURCE, ranges.length, threads, (b) => {
          const task: BandTask = {
            kind: 'band', rows: rows[b].data.slice(0, rows[b].count * rows[b].width), width: rows[b].width, metric,
            tiles: ranges[b][1] - ranges[b][0], out: shared[b],
          };
          return { payload: task, transfer: [task.rows.buffer] };
        }, signal, () => {});
        replies.forEach((reply, b) => place(b, typeof reply === 'number' ? new Float32Array(shared[b]!, 0, reply) : reply));
      } finally {
        for (const buffer of shared) if (buffer !== undefined) giveBackShared(buffer);
      }
    },
    async assign(points, chosen, metric) {
      const chunks = contiguousGroups(points.count, threads);
      const replies = await runInWorkers<{ pick: Int32Array; distance: Float32Array }>(WORKER_SOURCE, chunks.length, threads, (c) => {
        const [from, to] = chunks[c];
        const task: AssignTask = {
          kind: 'assign', points: points.data.slice(from * points.width, to * points.width), chosen: chosen.data.slice(),
          width: points.width, emptyDistance: points.emptyDistance, metric,
        };
        return { payload: task, transfer: [task.points.buffer, task.chosen.buffer] };
      }, signal, () => {});
      const pick = new Int32Array(points.count), distance = new Float32Array(points.count);
      chunks.forEach(([from], c) => { pick.set(replies[c].pick, from); distance.set(replies[c].distance, from); });
      return { pick, distance };
    },
  };
}

/** [from, to) ranges splitting 0..count-1 into at most `groups` near-equal runs. */
function contiguousGroups(count: number, groups: number): [number, number][] {
  const g = Math.max(1, Math.min(groups, count));
  return Array.from({ length: g }, (_, j) => [Math.floor((j * count) / g), Math.floor(((j + 1) * count) / g)]);
}

function partsTask(points: PackedPoints, parts: Int32Array[], budgets: number[], config: TaskConfig): PartsTask {
  const { width } = points;
  const rows = parts.reduce((sum, part) => sum + part.length, 0);
  const data = new Float32Array(rows * width);
  let to = 0;
  for (const part of parts) {
    for (let t = 0; t < part.length; t++, to += width) data.set(points.data.subarray(part[t] * width, (part[t] + 1) * width), to);
  }
  return { kind: 'parts', data, width, emptyDistance: points.emptyDistance, sizes: Int32Array.from(parts, (p) => p.length), budgets, config };
}
