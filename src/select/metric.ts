// The distance metrics, one descriptor each: everything the code needs to know about a metric
// lives here (its kernel code, how rows are packed for it, its C, its exact float64 form), so a
// new metric is one entry here plus its branch in the kernels (docs/architecture.md).

export interface MetricDescriptor {
  /** The kernels' code for it: assembly/metric.ts exports the same values (a test holds them equal). */
  readonly code: number;
  /**
   * How packGroundSet prepares rows: 'centre' subtracts the column means (distances do not
   * change, and the Gram form loses less to cancellation); 'unit' scales each row to length 1.
   */
  readonly packing: 'centre' | 'unit';
  /**
   * Whether the partitioned optimizer may assign points through their owners: that rests on
   * the triangle inequality of the euclidean distance (docs/algorithms.md, section 4), so not
   * for cosine, which has none.
   */
  readonly assignsThroughOwners: boolean;
  /** C, a bound on every distance in a ground set whose rows lie within sqrt(radiusSquared) of their mean. */
  emptyDistance(radiusSquared: number): number;
  /** The exact distance in float64 (the reference implementation's). */
  exact(a: ArrayLike<number>, b: ArrayLike<number>): number;
}

function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) { const d = a[j] - b[j]; sum += d * d; }
  return sum;
}

/** Every metric by name; the public list METRICS is its keys, in this order. */
export const METRIC_DESCRIPTORS = {
  /** CRAIG's bound is on euclidean distances between gradients. */
  euclidean: {
    code: 0,
    packing: 'centre',
    assignsThroughOwners: true,
    // the diameter is at most twice the largest distance to the mean
    emptyDistance: (radiusSquared) => 2 * Math.sqrt(radiusSquared),
    exact: (a, b) => Math.sqrt(squaredDistance(a, b)),
  },
  sqeuclidean: {
    code: 1,
    packing: 'centre',
    // the kernel bounds the square roots (the nearest pick is the same in both)
    assignsThroughOwners: true,
    emptyDistance: (radiusSquared) => { const diameter = 2 * Math.sqrt(radiusSquared); return diameter * diameter; },
    exact: squaredDistance,
  },
  /** 1 - cos(a, b), in [0, 2]; a zero row is at distance 1 from every other row. */
  cosine: {
    code: 2,
    packing: 'unit',
    assignsThroughOwners: false,
    emptyDistance: () => 2,
    exact: (a, b) => {
      let dot = 0, na = 0, nb = 0;
      for (let j = 0; j < a.length; j++) { dot += a[j] * b[j]; na += a[j] * a[j]; nb += b[j] * b[j]; }
      return na > 0 && nb > 0 ? Math.max(0, 1 - dot / Math.sqrt(na * nb)) : 1;
    },
  },
} as const satisfies Record<string, MetricDescriptor>;

/**
 * A distance between rows, by name: one of METRICS.
 * @useDeclaredType
 */
export type Metric = keyof typeof METRIC_DESCRIPTORS;
export const METRICS = Object.keys(METRIC_DESCRIPTORS) as Metric[];

/** The descriptor of a metric name already validated (resolveOptions). */
export function metricDescriptor(metric: Metric): MetricDescriptor {
  return METRIC_DESCRIPTORS[metric];
}
