// The metric wire codes, the `metric` argument of every kernel, and the step from a squared
// distance to the metric's distance. The codes are exported as immutable globals, so the
// host can read them from the module (exports.METRIC_EUCLIDEAN.value); the host's metric
// descriptors (src/select/metric.ts) must agree with them (test/node/metric-codes.test.ts checks).

/** d(a, b) = |a - b|. */
export const METRIC_EUCLIDEAN: i32 = 0;
/** d(a, b) = |a - b|^2. */
export const METRIC_SQEUCLIDEAN: i32 = 1;
/** d(a, b) = 1 - a.b: rows are unit-normalised by the host. */
export const METRIC_COSINE: i32 = 2;

// @ts-ignore: decorator
@inline export function fromSquared(squared: f32, metric: i32): f32 {
  // unit rows: |a - b|^2 = 2 - 2 a.b = 2 (cosine distance)
  if (metric == METRIC_COSINE) return squared * 0.5;
  return metric == METRIC_EUCLIDEAN ? sqrt<f32>(squared) : squared;
}

// @ts-ignore: decorator
@inline export function fromSquared4(squared: v128, metric: i32): v128 {
  return metric == METRIC_EUCLIDEAN ? f32x4.sqrt(squared) : squared;
}
