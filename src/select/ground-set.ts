// Turns the rows of one ground set (a class, or all rows) into what the kernels and the
// reference both need: the empty-set distance C and, for the kernels, packed float32 rows.
import { AdacoreError } from '../errors.js';
import { metricDescriptor, type Metric } from './metric.js';
import type { Rows } from './vectors.js';

/** Above this squared norm, float32 dot products of two rows could overflow. */
const MAX_SQUARED_NORM = 1e36;

export function columnMeans(rows: Rows, members: Int32Array): Float64Array {
  const { data, dim } = rows;
  const mean = new Float64Array(dim);
  for (let t = 0; t < members.length; t++) {
    const base = members[t] * dim;
    for (let j = 0; j < dim; j++) mean[j] += data[base + j];
  }
  for (let j = 0; j < dim; j++) mean[j] /= members.length;
  return mean;
}

/**
 * C, the distance every point has to the empty selection, which must bound every distance
 * in the ground set. The triangle inequality gives d(a, b) <= 2 max_i |x_i - mean| in O(n d),
 * the same on every path, rather than the exact largest distance, which costs O(n^2 d).
 * The picks do not depend on C; the gains (and F(S) = sum of gains) do.
 */
export function emptyDistance(rows: Rows, members: Int32Array, metric: Metric): number {
  const descriptor = metricDescriptor(metric);
  if (descriptor.packing === 'unit') return descriptor.emptyDistance(1);
  const mean = columnMeans(rows, members);
  let radiusSquared = 0;
  for (let t = 0; t < members.length; t++) radiusSquared = Math.max(radiusSquared, centredSquaredNorm(rows.data, members[t] * rows.dim, mean));
  return descriptor.emptyDistance(radiusSquared);
}

/** |x - mean|^2 for the row at data[base .. base + mean.length). */
function centredSquaredNorm(data: Float32Array | Float64Array, base: number, mean: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < mean.length; j++) { const v = data[base + j] - mean[j]; sum += v * v; }
  return sum;
}

/** A ground set as the kernels take it. */
export interface PackedPoints {
  count: number;
  /** Floats per row: the dimension padded (see paddedWidth). */
  width: number;
  /** count x width float32, row-major, zero-padded. */
  data: Float32Array;
  /** C of the ground set the rows were packed from (a gathered subset keeps it). */
  emptyDistance: number;
}

/**
 * The ground set's rows as float32, `width` floats each, zero-padded, with C (the same value
 * emptyDistance gives). Euclidean metrics centre the rows first: distances do not change,
 * but the Gram form |a|^2 + |b|^2 - 2 a.b loses less to cancellation when the norms are small.
 * Cosine scales each row to unit length (a zero row stays zero: distance 1 to everything).
 */
export function packGroundSet(rows: Rows, members: Int32Array, metric: Metric, width: number, centre?: Float64Array): PackedPoints {
  const dim = rows.dim;
  const descriptor = metricDescriptor(metric);
  const unit = descriptor.packing === 'unit';
  // `centre`: rows packed apart that must be compared (a stream's blocks and its picks) share one
  const mean = unit ? new Float64Array(dim) : centre ?? columnMeans(rows, members);
  const out = new Float32Array(members.length * width);
  const { data } = rows;
  let radiusSquared = 0;
  for (let t = 0; t < members.length; t++) {
    const from = members[t] * dim;
    const base = t * width;
    // one pass: the centred row and its squared norm (as centredSquaredNorm sums it)
    let squaredNorm = 0;
    for (let j = 0; j < dim; j++) { const v = data[from + j] - mean[j]; out[base + j] = v; squaredNorm += v * v; }
    if (!(squaredNorm <= MAX_SQUARED_NORM)) {
      throw new AdacoreError('vectors', `row ${rows.name(members[t])} is too large for float32 distances (squared norm ${squaredNorm.toExponential(2)} after centring; the limit is 1e36)`);
    }
    if (squaredNorm > radiusSquared) radiusSquared = squaredNorm;
    if (unit) {
      const scale = squaredNorm > 0 ? 1 / Math.sqrt(squaredNorm) : 0;
      for (let j = 0; j < dim; j++) out[base + j] = data[from + j] * scale; // mean is 0 for unit rows
    }
  }
  return { count: members.length, width, data: out, emptyDistance: descriptor.emptyDistance(radiusSquared) };
}

/** The rows at `positions` (ascending or not), with the C of the set they come from. */
export function gatherPoints(points: PackedPoints, positions: Int32Array): PackedPoints {
  const { width, data } = points;
  const out = new Float32Array(positions.length * width);
  for (let t = 0; t < positions.length; t++) {
    const from = positions[t] * width, to = t * width;
    for (let j = 0; j < width; j++) out[to + j] = data[from + j];
  }
  return { count: positions.length, width, data: out, emptyDistance: points.emptyDistance };
}
