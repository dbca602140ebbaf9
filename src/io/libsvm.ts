// LIBSVM / svmlight text reader: `label idx:val idx:val ... # comment`, one example per line.
import { AdacoreError, check } from '../errors.js';
import type { Matrix, ReadOptions } from './types.js';
import { allocate, checkBudget, parseNumber, quote, resolveOptions, splitLines, toText } from './common.js';

export interface LibsvmOptions extends ReadOptions {
  /** Number of features; default is the largest index seen. An index beyond it is an error. */
  dim?: number;
  /** Indices start at 0 instead of the svmlight convention of 1. */
  zeroBased?: boolean;
}

interface Sparse {
  labels: number[];
  rowStart: number[];
  columns: number[];
  values: number[];
  maxColumn: number;
}

/** Read a sparse LIBSVM file into a dense row-major float32 matrix plus the raw labels. */
export function readLibsvm(
  text: string | Uint8Array,
  opts: LibsvmOptions = {},
): { matrix: Matrix; labels: Float64Array } {
  const { source, maxBytes } = resolveOptions(opts);
  if (opts.dim !== undefined) {
    check(Number.isInteger(opts.dim) && opts.dim > 0, 'dim', `must be a positive integer, got ${opts.dim}`);
  }
  const sparse = parseSparse(toText(text, source), source, opts.zeroBased ? 0 : 1, opts.dim);
  const rows = sparse.labels.length;
  check(rows > 0, source, 'no data rows');
  const dim = opts.dim ?? sparse.maxColumn + 1;
  // the labels count too (fuzzing found 1,002 one-value rows under a 4 KB budget allocating 8 KB of labels)
  checkBudget(source, rows * dim * 4 + rows * 8, maxBytes, `${rows} rows x ${dim} features of dense float32 and ${rows} float64 labels`);
  const data = allocate(Float32Array, rows * dim, source, `${rows} rows x ${dim} features`);
  for (let r = 0; r < rows; r++) {
    for (let k = sparse.rowStart[r]; k < sparse.rowStart[r + 1]; k++) {
      data[r * dim + sparse.columns[k]] = sparse.values[k];
    }
  }
  return { matrix: { data, rows, dim }, labels: Float64Array.from(sparse.labels) };
}

function parseSparse(text: string, source: string, base: number, dim: number | undefined): Sparse {
  const s: Sparse = { labels: [], rowStart: [0], columns: [], values: [], maxColumn: -1 };
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    const content = (hash >= 0 ? lines[i].slice(0, hash) : lines[i]).trim();
    if (content === '') continue;
    parseLine(content.split(/\s+/), i + 1, s, source, base, dim);
    s.rowStart.push(s.columns.length);
  }
  return s;
}

function parseLine(tokens: string[], line: number, s: Sparse, source: string, base: number, dim?: number): void {
  const label = parseNumber(tokens[0]);
  check(label !== undefined, source, `line ${line}: bad label ${quote(tokens[0])}`);
  s.labels.push(label);
  let previous = -1;
  for (const token of tokens.slice(1)) {
    if (token.startsWith('qid:')) continue; // ranking query ids carry no feature
    const colon = token.indexOf(':');
    const index = colon > 0 && /^\d+$/.test(token.slice(0, colon)) ? Number(token.slice(0, colon)) : NaN;
    const value = colon > 0 ? parseNumber(token.slice(colon + 1)) : undefined;
    if (Number.isNaN(index) || value === undefined) {
      throw new AdacoreError(source, `line ${line}: bad token ${quote(token)}, expected index:value`);
    }
    const column = index - base;
    check(column >= 0, source, `line ${line}: index 0 in ${quote(token)} but indices are 1-based (use zeroBased for 0-based files)`);
    check(index > previous, source, `line ${line}: index ${index} after ${previous}; indices must be increasing`);
    check(dim === undefined || column < dim, source, `line ${line}: index ${index} is beyond dim ${dim}`);
    previous = index;
    s.columns.push(column);
    s.values.push(value);
    if (column > s.maxColumn) s.maxColumn = column;
  }
}

/**
 * Map integer-valued labels (e.g. -1/+1 or 1..7) to class ids 0..C-1 in ascending order
 * of the distinct values. A non-integer label is an error naming its 0-based row.
 */
export function labelsToClasses(labels: Float64Array, source: string): Int32Array {
  labels.forEach((v, i) => check(Number.isInteger(v), source, `label at row ${i} is ${v}, not an integer class`));
  const distinct = Array.from(new Set(labels)).sort((a, b) => a - b);
  const classOf = new Map(distinct.map((v, c) => [v, c]));
  return Int32Array.from(labels, (v) => classOf.get(v)!);
}
