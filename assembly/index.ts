// adacore's WebAssembly kernels. Only kernels live here: no I/O, no allocation policy
// (the host owns the memory above heapBase()), no knowledge of classes or methods.

export { distanceBlock, squaredNorms } from './distance';
export { denseDistanceRows, interleaveRows, TILE } from './dense';
export {
  configure, setWeights, scratchBytes, reset, naiveCandidates, stochasticCandidates, evaluateCandidates,
  acceptBest, lazyInitRange, lazyHeapify, lazyPick, compactRows, lazyRefresh, lastGain, evaluationCount, minDistPtr, nearestPtr,
  assignThroughOwners,
} from './greedy';
export { assignNearest } from './assign';
export { METRIC_EUCLIDEAN, METRIC_SQEUCLIDEAN, METRIC_COSINE } from './metric';

/** First free byte of linear memory: the host's arena starts here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
