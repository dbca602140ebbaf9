// Validates the caller's vectors once and exposes rows without copying them.
import { AdacoreError, check } from '../errors.js';

export type VectorsInput = Float32Array | Float64Array | ArrayLike<number>[];

export interface Rows {
  count: number;
  dim: number;
  /** All rows, row-major (row i at data[i * dim]): the caller's typed array, or a copy of nested input. Never written. */
  data: Float32Array | Float64Array;
  /** Row i as a view of `data`. Hot loops index `data` instead: a view per row costs an allocation. */
  row(i: number): ArrayLike<number>;
  /** The caller's number for row i, for messages (i itself, except in a selection Worker). */
  name(i: number): number;
}

export function toRows(vectors: VectorsInput, dim: number | undefined): Rows {
  if (vectors instanceof Float32Array || vectors instanceof Float64Array) return typedRows(vectors, dim);
  check(Array.isArray(vectors), 'vectors', 'expected a Float32Array, a Float64Array or an array of number arrays');
  return nestedRows(vectors, dim);
}

function typedRows(data: Float32Array | Float64Array, dim: number | undefined): Rows {
  check(dim !== undefined, 'dim', 'required with a flat typed array (the length of each row)');
  check(Number.isInteger(dim) && dim > 0, 'dim', `expected a positive integer, got ${dim}`);
  check(data.length > 0, 'vectors', 'zero rows: nothing to select from');
  check(data.length % dim === 0, 'dim', `the vectors' length ${data.length} is not a multiple of dim ${dim}`);
  const count = data.length / dim;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw nonFinite(Math.floor(i / dim), i % dim, data[i]);
  }
  return flatRows(data, count, dim);
}

export function flatRows(data: Float32Array | Float64Array, count: number, dim: number, name = (i: number) => i): Rows {
  return { count, dim, data, row: (i) => data.subarray(i * dim, (i + 1) * dim), name };
}

function nestedRows(rows: ArrayLike<number>[], dim: number | undefined): Rows {
  check(rows.length > 0, 'vectors', 'zero rows: nothing to select from');
  const width = dim ?? rows[0]?.length;
  check(Number.isInteger(width) && width > 0, 'dim', `expected rows of positive length, got ${width}`);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    check(row != null && typeof row.length === 'number', 'vectors', `row ${i} is not an array`);
    if (row.length !== width) throw new AdacoreError('vectors', `ragged rows: row ${i} has ${row.length} values, expected ${width}`);
    for (let j = 0; j < width; j++) {
      const value = row[j];
      if (typeof value !== 'number' || !Number.isFinite(value)) throw nonFinite(i, j, value);
    }
  }
  const data = new Float64Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < width; j++) data[i * width + j] = rows[i][j];
  return flatRows(data, rows.length, width);
}

function nonFinite(row: number, column: number, value: unknown): AdacoreError {
  return new AdacoreError('vectors', `row ${row}, column ${column} is ${String(value)}; every value must be a finite number`);
}

/** Labels as class ids 0..C-1 (in ascending order of the distinct label values). */
export function toClasses(labels: ArrayLike<number>, count: number): { classOf: Int32Array; values: number[] } {
  check(labels != null && typeof labels.length === 'number', 'labels', 'expected an array of integers');
  check(labels.length === count, 'labels', `expected ${count} labels (one per row), got ${labels.length}`);
  let low = Infinity, high = -Infinity;
  for (let i = 0; i < count; i++) {
    const value = labels[i];
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new AdacoreError('labels', `label ${i} is ${String(value)}; labels must be integers`);
    }
    if (value < low) low = value;
    if (value > high) high = value;
  }
  // labels in a short range (class ids, the usual case) go through a table; others through a Map
  if (high - low <= Math.max(1024, count)) {
    const idOf = new Int32Array(high - low + 1).fill(-1);
    for (let i = 0; i < count; i++) idOf[labels[i] - low] = 0;
    const values: number[] = [];
    for (let v = 0; v < idOf.length; v++) if (idOf[v] === 0) { idOf[v] = values.length; values.push(v + low); }
    const classOf = new Int32Array(count);
    for (let i = 0; i < count; i++) classOf[i] = idOf[labels[i] - low];
    return { classOf, values };
  }
  const values = [...new Set(Array.from({ length: count }, (_, i) => labels[i]))].sort((a, b) => a - b);
  const idOf = new Map(values.map((v, id) => [v, id]));
  const classOf = new Int32Array(count);
  for (let i = 0; i < count; i++) classOf[i] = idOf.get(labels[i])!;
  return { classOf, values };
}
