// Splitting a budget over classes (docs/algorithms.md, section 5).
import { check } from '../errors.js';

/**
 * Budgets proportional to class sizes, rounded by largest remainder so that they sum to
 * exactly `budget` (peers that round each class up return more than asked). Ties in the
 * remainder go to the larger class, then the lower class id. No class gets more than its
 * size, since a share is at most budget * size / n <= size.
 * Every class gets at least one point, so that every row has a selected point of its class
 * to count towards (the weights sum to n): a class rounded down to zero takes one from the
 * class with the largest budget. A budget smaller than the number of classes is an error.
 */
export function classBudgets(sizes: ArrayLike<number>, budget: number): number[] {
  let total = 0;
  for (let c = 0; c < sizes.length; c++) total += sizes[c];
  check(budget <= total, 'budget', `${budget} is more than the ${total} rows`);
  check(budget >= sizes.length, 'budget', `${budget} is smaller than the ${sizes.length} classes; each class needs at least one point`);
  const shares = Array.from({ length: sizes.length }, (_, c) => (budget * sizes[c]) / total);
  const result = shares.map(Math.floor);
  let left = budget - result.reduce((a, b) => a + b, 0);
  const order = shares
    .map((share, c) => ({ c, remainder: share - Math.floor(share) }))
    .sort((a, b) => b.remainder - a.remainder || sizes[b.c] - sizes[a.c] || a.c - b.c);
  for (const { c } of order) {
    if (left === 0) break;
    if (result[c] < sizes[c]) { result[c]++; left--; }
  }
  for (let c = 0; c < result.length; c++) {
    if (result[c] > 0) continue;
    let donor = 0;
    for (let d = 1; d < result.length; d++) if (result[d] > result[donor]) donor = d;
    result[donor]--;
    result[c] = 1;
  }
  return result;
}
