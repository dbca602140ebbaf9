// Lazy greedy (Minoux; docs/algorithms.md, "Greedy variants"): a max-heap of stale gains keyed
// by (gain desc, index asc). The heap's nodes live in the state's `heap` buffer (assembly/state.ts).

import { accept } from './accept';
import { columnOf, denseGain, evaluateCandidates, gainOfColumn, sparseGain } from './gains';
import { batchGains, candidates, dense, evaluations, heap, heapSize, n, round } from './state';

/**
 * Move the node at `start` down to its place (a hole moves down and the node is written once).
 * Order: higher gain first, lower index on ties. Which child is larger is a coin flip for the
 * branch predictor, so the child's slot is computed from the comparison, without a branch
 * (lazy picks 7 to 12 % faster, measured on 512- and 1,800-point ground sets).
 */
function siftDown(start: i32): void {
  const moving = v128.load(heap + (<usize>start << 4));
  const gain = f64x2.extract_lane(moving, 0);
  const index = i32x4.extract_lane(moving, 2);
  let at = start;
  while (true) {
    const left = 2 * at + 1;
    if (left >= heapSize) break;
    const leftNode = heap + (<usize>left << 4);
    // the right child's slot is inside the heap's buffer even when it is past heapSize
    const takeRight = <i32>(left + 1 < heapSize) & <i32>betterBits(load<f64>(leftNode, 16), load<i32>(leftNode, 24), load<f64>(leftNode), load<i32>(leftNode, 8));
    const child = left + takeRight;
    const childNode = heap + (<usize>child << 4);
    if (!betterBits(load<f64>(childNode), load<i32>(childNode, 8), gain, index)) break;
    v128.store(heap + (<usize>at << 4), v128.load(childNode));
    at = child;
  }
  v128.store(heap + (<usize>at << 4), moving);
}

/** better() without short-circuit branches. */
// @ts-ignore: decorator
@inline function betterBits(gainA: f64, indexA: i32, gainB: f64, indexB: i32): bool {
  return <bool>(<i32>(gainA > gainB) | (<i32>(gainA == gainB) & <i32>(indexA < indexB)));
}

/**
 * Singleton gains of points [first, last) as the lazy heap's initial bounds. The host calls
 * this in slices (it is the one O(n^2) pass), then lazyHeapify().
 */
export function lazyInitRange(first: i32, last: i32): void {
  const count = last - first;
  for (let t = 0; t < count; t++) store<i32>(candidates + (<usize>t << 2), first + t);
  evaluateCandidates(0, count);
  for (let t = 0; t < count; t++) {
    const node = heap + (<usize>(first + t) << 4);
    store<f64>(node, load<f64>(batchGains + (<usize>t << 3)));
    store<i32>(node, first + t, 8);
    store<i32>(node, 0, 12);
  }
}

export function lazyHeapify(): void {
  heapSize = n;
  for (let at = (heapSize >> 1) - 1; at >= 0; at--) siftDown(at);
}

/**
 * Lazy greedy: re-evaluate the top of the heap until a bound computed in this round is on
 * top; gains only shrink, so it is the true best. Each entry is evaluated at most once per
 * round, so a round ends after at most n evaluations whatever the values. Returns the pick,
 * or -2 after `maxEvaluations` evaluations without one (call again to go on), -1 when empty.
 */
export function lazyPick(maxEvaluations: i32): i32 {
  if (heapSize == 0) return -1;
  let done = 0;
  while (true) {
    const c = load<i32>(heap, 8);
    if (load<i32>(heap, 12) == round) {
      const g = load<f64>(heap);
      heapSize--;
      if (heapSize > 0) { v128.store(heap, v128.load(heap + (<usize>heapSize << 4))); siftDown(0); }
      return accept(c, g);
    }
    if (done++ == maxEvaluations) return -2;
    evaluations += 1;
    store<f64>(heap, dense != 0 ? denseGain(c) : gainOfColumn(columnOf(c)));
    store<i32>(heap, round, 12);
    siftDown(0);
  }
}

/**
 * After a compaction: every bound in the lazy heap becomes the candidate's current gain under
 * the sparse sums (a stale bound summed in another order could sit an ulp below it), marked
 * fresh for this round.
 */
export function lazyRefresh(): void {
  for (let slot = 0; slot < heapSize; slot++) {
    const node = heap + (<usize>slot << 4);
    store<f64>(node, sparseGain(load<i32>(node, 8)));
    store<i32>(node, round, 12);
  }
  evaluations += <f64>heapSize;
  for (let at = (heapSize >> 1) - 1; at >= 0; at--) siftDown(at);
}
