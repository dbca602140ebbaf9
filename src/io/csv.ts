// Delimited text reader: numbers separated by ',', ';' or tab, optional header line.
// Quoted fields ("1.5", "a,b") are unquoted; quotes cannot span lines.
import { check } from '../errors.js';
import type { Matrix, ReadOptions } from './types.js';
import { allocate, checkBudget, isInt32, parseNumber, quote, resolveOptions, splitLines, toText } from './common.js';

interface CsvTable {
  values: Float64Array;
  rows: number;
  dim: number;
  /** 1-based line number of each data row, for error messages. */
  lineOf: Int32Array;
}

/** Read a numeric table as a float64 matrix, one row per non-blank line. */
export function readCsvMatrix(text: string | Uint8Array, opts: ReadOptions = {}): Matrix {
  const { source, maxBytes } = resolveOptions(opts);
  const t = parseCsv(toText(text, source), source, maxBytes);
  return { data: t.values, rows: t.rows, dim: t.dim };
}

/** Read a single column of integer labels (2.0 is fine, 2.5 is an error naming its line). */
export function readCsvLabels(text: string | Uint8Array, opts: ReadOptions = {}): Int32Array {
  const { source, maxBytes } = resolveOptions(opts);
  const t = parseCsv(toText(text, source), source, maxBytes);
  check(t.dim === 1, source, `expected a single column of labels but line ${t.lineOf[0]} has ${t.dim} fields`);
  const labels = new Int32Array(t.rows);
  for (let r = 0; r < t.rows; r++) {
    const v = t.values[r];
    check(isInt32(v), source, `line ${t.lineOf[r]}: label ${v} is not an integer`);
    labels[r] = v;
  }
  return labels;
}

function parseCsv(text: string, source: string, maxBytes: number): CsvTable {
  const lines = splitLines(text);
  const isBlank = (line: string) => line.trim() === '';
  const first = lines.findIndex((line) => !isBlank(line));
  check(first >= 0, source, 'no data rows: the file is empty');
  const sep = detectSeparator(lines[first]);
  const firstFields = splitFields(lines[first], sep);
  // A header names its columns: some field is neither empty nor a number. Fuzzing found a first
  // row with a missing value ("1,,3") taken for a header and dropped silently; it is data now
  // (and its empty field an error naming it).
  const hasHeader = firstFields.some((f) => f !== '' && parseNumber(f) === undefined);
  const dim = firstFields.length;
  const dataStart = hasHeader ? first + 1 : first;

  // Count rows first so the budget is checked before allocating.
  let rows = 0;
  for (let i = dataStart; i < lines.length; i++) if (!isBlank(lines[i])) rows++;
  check(rows > 0, source, 'no data rows: only a header line');
  const reference = `line ${first + 1}${hasHeader ? ' (the header)' : ''}`;
  /** Parse every data row into `values` (or only check them, without `values`). */
  const parseRows = (values?: Float64Array, lineOf?: Int32Array) => {
    let r = 0;
    for (let i = dataStart; i < lines.length; i++) {
      if (isBlank(lines[i])) continue;
      const fields = splitFields(lines[i], sep);
      check(fields.length === dim, source, `line ${i + 1} has ${fields.length} fields but ${reference} has ${dim}`);
      for (let c = 0; c < dim; c++) {
        const v = parseField(fields[c], i + 1, c + 1, source);
        if (values) values[r * dim + c] = v;
      }
      if (lineOf) lineOf[r] = i + 1;
      r++;
    }
  };
  // Each value takes at least one character and a separator or line break, so a well-formed
  // table has fewer than text.length values. More means a malformed line: find and report it
  // before allocating. (Fuzzing found a 100 KB file whose wide first line made the reader
  // allocate rows x dim float64 for the one-field lines after it, then reject line 2.)
  if (rows * dim > text.length) parseRows();
  checkBudget(source, rows * dim * 8, maxBytes, `${rows} rows x ${dim} columns of float64`);
  const values = allocate(Float64Array, rows * dim, source, `${rows} rows x ${dim} columns`);
  const lineOf = new Int32Array(rows);
  parseRows(values, lineOf);
  return { values, rows, dim, lineOf };
}

function parseField(field: string, line: number, column: number, source: string): number {
  check(field !== '', source, `line ${line}, column ${column}: empty field`);
  const v = parseNumber(field);
  check(v !== undefined, source, `line ${line}, column ${column}: ${quote(field)} is not a number`);
  return v;
}

/** The separator used most on the first line: ',', ';' or tab (',' when none appear). */
function detectSeparator(line: string): string {
  let best = ',';
  let bestCount = 0;
  for (const sep of [',', ';', '\t']) {
    const count = line.split(sep).length - 1;
    if (count > bestCount) [best, bestCount] = [sep, count];
  }
  return best;
}

function splitFields(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep).map((f) => f.trim());
  // Minimal quote handling: "..." groups separators, "" is a literal quote.
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) { fields.push(field.trim()); field = ''; }
    else field += ch;
  }
  fields.push(field.trim());
  return fields;
}
