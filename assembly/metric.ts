// The metric wire codes: the `metric` argument of every kernel. Exported as immutable
// globals, so the host reads them from the module (exports.METRIC_EUCLIDEAN.value) instead
// of keeping a copy of its own (src/select/options.ts METRIC_CODE must agree with them).

/** d(a, b) = |a - b|. */
export const METRIC_EUCLIDEAN: i32 = 0;
/** d(a, b) = |a - b|^2. */
export const METRIC_SQEUCLIDEAN: i32 = 1;
/** d(a, b) = 1 - a.b: rows are unit-normalised by the host. */
export const METRIC_COSINE: i32 = 2;
