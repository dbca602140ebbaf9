// Turning callers' matrices and labels into tfjs batches, with the bad-input checks.
import type { Tensor, TensorFlow } from '../context.js';
import { AdacoreError, ensure } from '../errors.js';
import type { LabelsInput, MatrixInput } from './types.js';

/** Floats per rows x dim tensor in one batch when no batchSize is given (16 MB in float32). */
export const BATCH_FLOATS = 1 << 22;

/** A rows x columns matrix that hands out float32 row slices as tensors. */
export interface MatrixSource {
  name: string;
  rows: number;
  columns: number;
  /** Rows [r0, r1) as a float32 rows x columns tensor (call inside tf.tidy). */
  slice(r0: number, r1: number): Tensor;
}

export function isTensor(value: unknown): value is Tensor {
  return value !== null && typeof value === 'object'
    && typeof (value as Tensor).dataSync === 'function' && typeof (value as Tensor).data === 'function'
    && Array.isArray((value as Tensor).shape);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as ArrayLike<unknown>).length === 'number';
}

/**
 * A matrix input. `rows` is the expected row count (from the labels), or undefined to take the
 * matrix's own (a flat array then needs `columns`). `vector` allows rank-1 input as one column.
 */
export function matrixSource(
  tf: TensorFlow, value: MatrixInput | undefined, name: string, rows: number | undefined,
  options: { columns?: number; vector?: boolean; rowsFrom?: string } = {},
): MatrixSource {
  const rowsFrom = options.rowsFrom ?? 'labels';
  const mismatch = (have: number) =>
    `${name} has ${have} rows but there are ${rows} ${rowsFrom}: the model output does not match the ${rowsFrom}`;
  ensure(value != null, name, 'is missing');
  if (isTensor(value)) {
    const shape = value.shape;
    ensure(shape.length === 2 || (options.vector && shape.length === 1), name,
      `expected a rank-2 tensor (rows x columns)${options.vector ? ' or a rank-1 tensor (one column)' : ''}, got shape [${shape.join(', ')}]`);
    ensure(value.dtype !== 'string' && value.dtype !== 'complex64', name, `expected a numeric tensor, got dtype ${value.dtype}`);
    const n = shape[0];
    const columns = shape.length === 2 ? shape[1] : 1;
    if (rows !== undefined) ensure(n === rows, name, () => mismatch(n));
    if (options.columns !== undefined) {
      ensure(columns === options.columns, name, `has ${columns} columns, expected ${options.columns}`);
    }
    ensure(n > 0 && columns > 0, name, `is empty (shape [${shape.join(', ')}])`);
    return {
      name, rows: n, columns,
      slice: (r0, r1) => {
        const matrix = shape.length === 2 ? value : tf.reshape(value, [n, 1]);
        return tf.cast(r0 === 0 && r1 === n ? matrix : tf.slice(matrix, [r0, 0], [r1 - r0, columns]), 'float32');
      },
    };
  }
  ensure(isArrayLike(value), name, `expected a tfjs tensor, an array of rows or a flat row-major array, got ${typeof value}`);
  ensure(value.length > 0, name, 'is empty');
  if (isArrayLike(value[0])) {
    // An array of rows: flatten into float32.
    const nested = value as ArrayLike<ArrayLike<number>>;
    const n = nested.length;
    const columns = nested[0].length;
    if (rows !== undefined) ensure(n === rows, name, () => mismatch(n));
    if (options.columns !== undefined) ensure(columns === options.columns, name, `row 0 has ${columns} columns, expected ${options.columns}`);
    ensure(columns > 0, name, 'row 0 is empty');
    const flat = new Float32Array(n * columns);
    for (let i = 0; i < n; i++) {
      const row = nested[i];
      ensure(isArrayLike(row) && row.length === columns, name, () => `row ${i} has ${isArrayLike(row) ? row.length : 'no'} values, expected ${columns} (as row 0)`);
      for (let c = 0; c < columns; c++) flat[i * columns + c] = Number(row[c]);
    }
    return flatSource(tf, flat, name, n, columns);
  }
  const flat = value as ArrayLike<number>;
  if (rows === undefined) {
    ensure(options.columns !== undefined, name, 'a flat array needs its column count');
    rows = flat.length / options.columns;
    ensure(Number.isInteger(rows), name, `has ${flat.length} values, not a multiple of its ${options.columns} columns`);
  }
  const columns = flat.length / rows;
  ensure(Number.isInteger(columns), name,
    () => `has ${flat.length} values, not a multiple of the ${rows} ${rowsFrom}: the model output does not match the ${rowsFrom}`);
  if (options.columns !== undefined) {
    ensure(columns === options.columns, name,
      `has ${flat.length} values = ${rows} rows x ${columns} columns, expected ${options.columns} columns: the model output does not match the ${rowsFrom}`);
  }
  return flatSource(tf, flat, name, rows, columns);
}

function flatSource(tf: TensorFlow, flat: ArrayLike<number>, name: string, rows: number, columns: number): MatrixSource {
  const typed = ArrayBuffer.isView(flat) ? (flat as unknown as Float32Array) : undefined;
  return {
    name, rows, columns,
    slice: (r0, r1) => {
      const part = typed
        ? typed.subarray(r0 * columns, r1 * columns)
        : Array.prototype.slice.call(flat, r0 * columns, r1 * columns) as number[];
      const values = part instanceof Float32Array ? part : Float32Array.from(part as ArrayLike<number>);
      return tf.tensor2d(values, [r1 - r0, columns], 'float32');
    },
  };
}

/** The labels as numbers (a tensor is read back). */
export async function readLabels(value: LabelsInput | undefined, name = 'labels'): Promise<ArrayLike<number>> {
  ensure(value != null, name, 'is missing: give one integer class label per row');
  if (isTensor(value)) {
    ensure(value.shape.length === 1 || (value.shape.length === 2 && value.shape[1] === 1), name,
      `expected a rank-1 tensor of class indices, got shape [${value.shape.join(', ')}]`);
    return (await value.data()) as ArrayLike<number>;
  }
  ensure(isArrayLike(value), name, `expected an array of class indices, got ${typeof value}`);
  ensure(value.length > 0, name, 'is empty');
  return value;
}

/** Throws, naming the first bad row, unless every label is an integer in [0, classes). */
export function checkLabels(labels: ArrayLike<number>, classes: number, name: string, what: string): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(typeof label === 'number' && Number.isInteger(label) && label >= 0 && label < classes)) {
      throw new AdacoreError(name, `row ${i} has label ${String(label)}, outside the classes 0..${classes - 1} (${what})`);
    }
  }
}

/** Labels [r0, r1) as an int32 tensor. */
export function labelSlice(tf: TensorFlow, labels: ArrayLike<number>, r0: number, r1: number): Tensor {
  const part = new Int32Array(r1 - r0);
  for (let i = r0; i < r1; i++) part[i - r0] = labels[i];
  return tf.tensor1d(part, 'int32');
}

/** The batch size: the option, checked, or as many rows as fit in BATCH_FLOATS at `width` floats a row. */
export function batchRows(batchSize: number | undefined, width: number): number {
  if (batchSize !== undefined) {
    ensure(Number.isInteger(batchSize) && batchSize > 0, 'batchSize', `expected a positive integer, got ${batchSize}`);
    return batchSize;
  }
  return Math.max(1, Math.floor(BATCH_FLOATS / Math.max(1, width)));
}

/** Throws unless rows x dim floats fit in one Float32Array. */
export function checkOutputSize(rows: number, dim: number): void {
  const floats = rows * dim;
  ensure(floats <= 2 ** 31 - 1, 'rows', () =>
    `the output would be ${rows} rows x ${dim} = ${floats} floats per array (${(floats * 4 / 2 ** 30).toFixed(1)} GiB), more than one `
    + 'Float32Array holds: select fewer parameters or process the rows in parts');
}
