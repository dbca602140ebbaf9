// The training data as the trainer holds it: checked once, as float32 rows and int32 labels,
// with tensors made when a run starts (and disposed when it ends).
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { TensorFlow } from '../tf/context.js';
import { AdacoreError, ensure } from '../tf/errors.js';

/** Rows and their labels, checked: row-major float32, labels in 0..classes-1. */
export interface LabelledRows {
  x: Float32Array;
  y: Int32Array;
  rows: number;
  dim: number;
}

/** Training rows: a flat array (with `dim`), an array of rows, or a { data, rows, dim } matrix. */
export type RowsInput = Float32Array | Float64Array | ArrayLike<number> | ArrayLike<ArrayLike<number>> | { data: ArrayLike<number>; rows: number; dim: number };

/** Rows (a flat array with `dim`, an array of rows, or a { data, rows, dim } matrix) and labels, checked. */
export function labelledRows(x: RowsInput, y: ArrayLike<number>, dim: number | undefined, xName: string, yName: string): LabelledRows {
  ensure(x !== null && typeof x === 'object', xName, 'expected rows: a Float32Array with dim, an array of rows, or { data, rows, dim }');
  ensure(y !== null && typeof y === 'object' && typeof (y as ArrayLike<number>).length === 'number', yName, 'expected one integer label per row');
  let data: Float32Array;
  let width: number;
  if ('data' in x && 'rows' in x && 'dim' in x) {
    data = Float32Array.from(x.data);
    width = x.dim;
    ensure(data.length === x.rows * x.dim, xName, `expected rows x dim = ${x.rows * x.dim} values, got ${data.length}`);
  } else if (x.length > 0 && typeof (x as ArrayLike<unknown>)[0] === 'object') {
    const rowsIn = x as ArrayLike<ArrayLike<number>>;
    width = rowsIn[0].length;
    data = new Float32Array(rowsIn.length * width);
    for (let i = 0; i < rowsIn.length; i++) {
      ensure(rowsIn[i].length === width, xName, `row ${i} has ${rowsIn[i].length} values, row 0 has ${width}`);
      data.set(rowsIn[i], i * width);
    }
  } else {
    ensure(dim !== undefined && Number.isInteger(dim) && dim > 0, 'dim', `expected the row length (a positive integer) for flat rows, got ${dim}`);
    data = Float32Array.from(x as ArrayLike<number>);
    width = dim;
    ensure(data.length % width === 0, xName, `${data.length} values do not split into rows of ${width}`);
  }
  const rows = data.length / width;
  ensure(rows > 0, xName, 'has no rows');
  ensure(y.length === rows, yName, `has ${y.length} labels but ${xName} has ${rows} rows`);
  for (let p = 0; p < data.length; p++) {
    if (!Number.isFinite(data[p])) throw new AdacoreError(xName, `row ${Math.floor(p / width)}, column ${p % width} is ${data[p]}; every value must be a finite number`);
  }
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const label = y[i];
    ensure(Number.isInteger(label) && label >= 0, yName, `label ${i} is ${label}; expected an integer class 0, 1, ...`);
    labels[i] = label;
  }
  return { x: data, y: labels, rows, dim: width };
}

/** The number of classes the labels use (the largest label + 1, at least 2). */
export function classCount(...sets: Int32Array[]): number {
  let largest = 1;
  for (const labels of sets) for (let i = 0; i < labels.length; i++) if (labels[i] > largest) largest = labels[i];
  return largest + 1;
}

/** Tensors of a labelled set: X [rows, dim] and the labels (int32). */
export function toTensors(tf: TensorFlow, set: LabelledRows): { x: Tensor2D; labels: import('@tensorflow/tfjs-core').Tensor1D } {
  return { x: tf.tensor2d(set.x, [set.rows, set.dim]), labels: tf.tensor1d(set.y, 'int32') };
}
