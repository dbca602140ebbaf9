// The partitioned optimizer's random parts and their first-round budgets, shared by the
// kernels' optimizer (src/optimizers/partitioned.ts) and the float64 reference.
import { mulberry32 } from './random.js';

/** Positions 0..n-1 split into `parts` random parts of near-equal size, each in ascending order. */
export function randomParts(n: number, parts: number, seed: number): Int32Array[] {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = mulberry32(seed);
  for (let t = n - 1; t > 0; t--) {
    const r = random() % (t + 1);
    const swap = order[t]; order[t] = order[r]; order[r] = swap;
  }
  // part j holds order[floor(j n / parts) .. floor((j + 1) n / parts)); listing them by
  // ascending position sorts each part without a sort
  const partOf = new Int32Array(n);
  const sizes = new Int32Array(parts);
  for (let j = 0; j < parts; j++) {
    const end = Math.floor(((j + 1) * n) / parts);
    for (let t = Math.floor((j * n) / parts); t < end; t++) partOf[order[t]] = j;
    sizes[j] = end - Math.floor((j * n) / parts);
  }
  const out = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(parts);
  for (let i = 0; i < n; i++) out[partOf[i]][filled[partOf[i]]++] = i;
  return out;
}

/**
 * The merge round's union holds at least about this many points when the budget allows: with
 * a small budget, `oversampling` times each part's share leaves the merge too little to choose
 * from (at 1 % of Fashion-MNIST's 6,000-point classes, parts of 512 would pick 16 each and the
 * cost was 25 % above lazy greedy's; with this floor each part picks the whole budget, 60, and
 * it is 1 % above). At 1,536 the floor leaves 10 % budgets as they were (their union is 1,800).
 */
export const UNION_FLOOR = 1536;

/**
 * First-round picks of each part: oversampling times its share of the budget, or its share of
 * UNION_FLOOR when that is more (but never more than the budget: GreeDi's parts pick k), and
 * at most the part's size.
 */
export function partBudgets(sizes: number[], n: number, budget: number, oversampling: number): number[] {
  return sizes.map((size) => Math.min(size, Math.max(
    Math.ceil((oversampling * budget * size) / n),
    Math.min(budget, Math.ceil((UNION_FLOOR * size) / n)),
  )));
}

/**
 * Each part's exact share of the budget (the proportional optimizer): floor(budget x size / n),
 * the rest given one each to the largest remainders (the earlier part on ties); at most the
 * part's size. Sums to the budget.
 */
export function proportionalBudgets(sizes: number[], budget: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const budgets = sizes.map((size) => Math.floor((budget * size) / n));
  let left = budget - budgets.reduce((a, b) => a + b, 0);
  const byRemainder = sizes.map((_, j) => j).sort((a, b) => ((budget * sizes[b]) % n) - ((budget * sizes[a]) % n) || a - b);
  for (const j of byRemainder) {
    if (left === 0) break;
    if (budgets[j] < sizes[j]) { budgets[j]++; left--; }
  }
  return budgets;
}

/**
 * Positions 0..n-1 split into parts of at most `partSize` points that lie near each other: a
 * random-projection tree, each node split at the median of the points' projections on a seeded
 * random direction (Dasgupta and Freund's RP tree). Each part is in ascending order; parts are
 * listed left to right. n x d work per level, log2(n / partSize) levels.
 */
export function spatialParts(data: Float32Array, width: number, n: number, partSize: number, seed: number): Int32Array[] {
  const random = mulberry32(seed);
  const uniform = () => (random() + 0.5) / 2 ** 32;
  const direction = new Float64Array(width);
  const parts: Int32Array[] = [];
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const projection = new Float64Array(n);
  const stack: [number, number][] = [[0, n]];
  while (stack.length > 0) {
    const [start, end] = stack.pop()!;
    if (end - start <= partSize) {
      parts.push(order.slice(start, end).sort());
      continue;
    }
    for (let j = 0; j < width; j++) direction[j] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    for (let t = start; t < end; t++) {
      const base = order[t] * width;
      let dot = 0;
      for (let j = 0; j < width; j++) dot += data[base + j] * direction[j];
      projection[order[t]] = dot;
    }
    // halves of equal size (the lower index first on equal projections), so every part is full
    const span = Array.from(order.subarray(start, end)).sort((a, b) => projection[a] - projection[b] || a - b);
    order.set(span, start);
    const middle = start + Math.floor((end - start) / 2);
    stack.push([middle, end], [start, middle]);
  }
  return parts;
}
