// adacore's WebAssembly kernels. Only kernels live here: no I/O, no allocation policy
// (the host owns the memory above heapBase()), no knowledge of classes or methods.

export { distanceBlock, squaredNorms } from './distance';
export { denseDistanceRows, interleaveRows, TILE } from './dense';
export {
  configure, setWeights, scratchBytes, reset, lastGain, evaluationCount, minDistPtr, nearestPtr,
} from './state';
export { evaluateCandidates } from './gains';
export { naiveCandidates, stochasticCandidates, acceptBest } from './candidates';
export { lazyInitRange, lazyHeapify, lazyPick, lazyRefresh } from './lazy-heap';
export { compactRows } from './compaction';
export { assignThroughOwners } from './outside-assignment';
export { assignNearest } from './assign';
export { METRIC_EUCLIDEAN, METRIC_SQEUCLIDEAN, METRIC_COSINE } from './metric';

/** First free byte of linear memory: the host's arena starts here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
