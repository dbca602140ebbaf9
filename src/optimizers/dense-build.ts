// The dense n x n distance block of a greedy run, in this thread or shared with Workers. The
// block's tile rows are split into contiguous ranges of equal work. This thread computes the
// first range in place (each upper tile mirrored as it goes). A Worker given the range of tile
// rows [s, e) builds, with the same kernel, the block of the rows from s * TILE on (tile rows
// 0..e-s of it, mirrored): those tiles are the full block's tiles (s, s)..., on the same packed
// groups of rows, so they hold the same values bit for bit. It sends back its part, an L: its
// own rows (from column s * TILE) and, below them, their mirror image; this thread copies both
// in, row by row. Every pick made from the block is thus the same on any number of threads.
import { Arena } from '../kernels/arena.js';
import type { KernelExports } from '../kernels/wasm.js';
import type { PackedPoints } from '../select/ground-set.js';
import { metricDescriptor, type Metric } from '../select/metric.js';
import type { Pacer } from '../select/pacer.js';
import type { ProgressFrame } from '../select/progress.js';
import type { InnerParallel } from './types.js';

/** The kernels' tile edge (assembly/dense.ts TILE). */
export const DENSE_TILE = 64;

/**
 * Ground sets from this many rows share their dense build with Workers when threads > 1, from
 * DENSE_THREADS_FROM_WIDTH floats a row where the Workers write their parts into shared
 * buffers (Node, Deno, cross-origin-isolated pages), else from DENSE_THREADS_FROM_WIDTH_COPIED.
 * Below, moving the Worker's part costs about what computing it here does. Measured on one
 * 6,000-row Fashion-MNIST class, 600 picks, 2 threads against 1 (Intel VM): with new buffers
 * for the parts, d = 10 took 0.40 s against 0.31 s, d = 64 the same, d = 128 0.50 s against
 * 0.58 s, d = 784 1.18 s against 2.05 s; with shared ones, d = 10 and 64 about the same (within
 * the VM's noise), d = 32 0.34 s against 0.39 s, d = 128 0.37 s against 0.51 s, d = 784 1.03 s
 * against 2.10 s.
 */
export const DENSE_THREADS_FROM_ROWS = 2048;
export const DENSE_THREADS_FROM_WIDTH = 32;
export const DENSE_THREADS_FROM_WIDTH_COPIED = 96;

/**
 * How many threads build a ground set's dense block (the rule buildDense and the memory plan
 * share); `sharedParts`: whether the Workers' parts come back in shared buffers.
 */
export function denseBuildThreads(n: number, width: number, threads: number, sharedParts: boolean): number {
  if (n < DENSE_THREADS_FROM_ROWS || width < (sharedParts ? DENSE_THREADS_FROM_WIDTH : DENSE_THREADS_FROM_WIDTH_COPIED)) return 1;
  return Math.max(1, Math.min(threads, Math.ceil(n / DENSE_TILE)));
}

/** [tileStart, tileEnd) ranges of near-equal work over `tiles` tile rows (row t costs tiles - t tiles). */
export function bandRanges(tiles: number, parts: number): [number, number][] {
  const total = (tiles * (tiles + 1)) / 2;
  const ranges: [number, number][] = [];
  let start = 0, done = 0;
  for (let p = 1; p <= parts; p++) {
    let end = start;
    const goal = (total * p) / parts;
    while (end < tiles && (p === parts || done + (tiles - end) / 2 < goal)) done += tiles - end++;
    if (end > start) ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** A Worker's part for m rows and `tiles` tile rows of them: its own h rows whole (m floats each), the rest h floats each. */
export function partShape(m: number, tiles: number): { h: number; length: number } {
  const h = Math.min(m, tiles * DENSE_TILE);
  return { h, length: h * m + (m - h) * h };
}

/** Where the part for tile rows [tileStart, tileEnd) of n rows lands: its m rows and columns start at `first`. */
function bandShape(n: number, tileStart: number, tileEnd: number): { first: number; m: number; h: number; length: number } {
  const first = tileStart * DENSE_TILE;
  const m = n - first;
  return { first, m, ...partShape(m, tileEnd - tileStart) };
}

/** Extra bytes a shared build holds at its peak, at most: per Worker its rows, packed copy, block and part; here every part. */
export function sharedBuildBytes(n: number, width: number, threads: number): number {
  if (threads <= 1) return 0;
  return bandRanges(Math.ceil(n / DENSE_TILE), threads).slice(1).reduce((sum, [s, e]) => {
    const { m, length } = bandShape(n, s, e);
    const rows = Math.ceil(m / 4) * 4;
    return sum + rows * width * 4 * 3 + rows * 4 + m * m * 4 + 2 * length * 4;
  }, 0);
}

/** The rows a Worker needs for tile rows [tileStart, tileEnd) of `points`' block: from tileStart * TILE on. */
export function bandRows(points: PackedPoints, tileStart: number): PackedPoints {
  const first = tileStart * DENSE_TILE;
  return { ...points, count: points.count - first, data: points.data.subarray(first * points.width) };
}

/**
 * A Worker's share (the 'band' task): `rows` are the ground set's rows from tileStart * TILE on
 * (bandRows); builds tile rows [0, tiles) of their block and returns its part (see bandShape),
 * written into `out` when given.
 */
export function computeBand(kernels: KernelExports, rows: PackedPoints, metric: Metric, tiles: number, out?: SharedArrayBuffer): Float32Array {
  const { count: m, width } = rows;
  const arena = new Arena(kernels);
  const { pointsAt, normsAt } = packPoints(kernels, arena, rows);
  const packedAt = interleaved(kernels, arena, pointsAt, m, width);
  const blockAt = arena.alloc(m * m * 4, `a dense ${m} x ${m} block`);
  kernels.denseDistanceRows(packedAt, normsAt, m, width, blockAt, metricDescriptor(metric).code, 0, tiles);
  const { h, length } = partShape(m, tiles);
  const part = out !== undefined ? new Float32Array(out, 0, length) : new Float32Array(length);
  part.set(arena.f32(blockAt, h * m));
  const block = arena.f32(blockAt, m * m);
  for (let r = h, to = h * m; r < m; r++, to += h) part.set(block.subarray(r * m, r * m + h), to);
  return part;
}

/** Points (already in the arena at pointsAt, with their norms) interleaved for the dense kernel. */
export function interleaved(kernels: KernelExports, arena: Arena, pointsAt: number, n: number, width: number): number {
  const packedAt = arena.alloc(Math.ceil(n / 4) * 4 * width * 4, 'the interleaved points');
  kernels.interleaveRows(pointsAt, n, width, packedAt);
  return packedAt;
}

/** Points into the arena, rows and norms padded to a multiple of 4 with zeros (for the packed dense build), and their squared norms. */
export function packPoints(kernels: KernelExports, arena: Arena, points: PackedPoints): { pointsAt: number; normsAt: number } {
  const { count: n, width } = points;
  const paddedRows = Math.ceil(n / 4) * 4;
  const pointsAt = arena.alloc(paddedRows * width * 4, `the ${n} x ${width} float32 points`);
  arena.f32(pointsAt, n * width).set(points.data);
  const normsAt = arena.alloc(paddedRows * 4, 'norms');
  arena.f32(normsAt, paddedRows).fill(0);
  kernels.squaredNorms(pointsAt, n, width, normsAt);
  return { pointsAt, normsAt };
}

export interface DenseBuild {
  kernels: KernelExports;
  arena: Arena;
  points: PackedPoints;
  /** The interleaved points and their norms, in the arena. */
  packedAt: number;
  normsAt: number;
  denseAt: number;
  metric: Metric;
  pacer: Pacer;
  frame: ProgressFrame;
}

/** Fill the dense block at denseAt: here in paced slices, and on parallel's Workers when it has threads. */
export async function buildDense(build: DenseBuild, parallel?: InnerParallel): Promise<void> {
  const { kernels, arena, points, packedAt, normsAt, denseAt, pacer, frame } = build;
  const { count: n, width } = points;
  const tiles = Math.ceil(n / DENSE_TILE);
  const threads = parallel === undefined ? 1 : denseBuildThreads(n, width, parallel.threads, parallel.sharedParts);
  const ranges = bandRanges(tiles, threads);
  const [, mine] = ranges[0];
  const others = ranges.slice(1);
  // the Workers' parts, asked for first so they run while this thread computes its own range;
  // placed only while this call still owns the block (not after it threw: the kernels may serve another selection by then)
  let owned = true;
  const bands = others.length > 0 && parallel !== undefined
    ? parallel.denseBands(others.map(([s]) => bandRows(points, s)), build.metric, others, (b, part) => {
      if (owned) placeBand(arena, n, denseAt, part, others[b][0], others[b][1]);
    })
    : undefined;
  bands?.catch(() => {}); // awaited below; an abort or a failure here must not go unhandled meanwhile
  const metricCode = metricDescriptor(build.metric).code;
  try {
    // tile row t costs (tiles - t) tiles: slices of about 4 full tile rows
    for (let t = 0; t < mine;) {
      let work = 0, end = t;
      while (end < mine && work < 4 * tiles) work += tiles - end++;
      kernels.denseDistanceRows(packedAt, normsAt, n, width, denseAt, metricCode, t, end);
      t = end;
      await pacer.tick(() => frame('distances', t, tiles, 0));
    }
  } catch (error) {
    owned = false;
    throw error;
  }
  if (bands === undefined) return;
  await bands;
  await pacer.tick(() => frame('distances', tiles, tiles, 0));
}

/** A Worker's part (computeBand) into the block, row by row. */
function placeBand(arena: Arena, n: number, denseAt: number, part: Float32Array, tileStart: number, tileEnd: number): void {
  const { first, m, h } = bandShape(n, tileStart, tileEnd);
  const dense = arena.f32(denseAt, n * n);
  for (let r = 0; r < m; r++) {
    const width = r < h ? m : h;
    const from = r < h ? r * m : h * m + (r - h) * h;
    dense.set(part.subarray(from, from + width), (first + r) * n + first);
  }
}
