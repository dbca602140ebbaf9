// Reading the CLI's input files: the file system part (stat, size limits, readFile) is
// here; decoding is done by the runtime-neutral readers in src/io.
import { open, readFile, stat } from 'node:fs/promises';
import {
  AdacoreError,
  formatFromPath, labelsToClasses, npyRowBlocks, readCsvLabels, readIdxLabels, readLibsvm, readMatrix, readNpyLabels,
  type DataFormat, type Matrix, type NpyRowStream,
} from '../index.js';
import type { SelectArgs } from './parse-select.js';
import { UsageError } from './usage-error.js';

export interface LoadedData {
  matrix: Matrix;
  format: DataFormat;
  /** Class labels, one per row, or undefined for a selection without classes. */
  labels: Int32Array | undefined;
  /** The file the labels came from: the --labels file, or the input itself (LIBSVM). */
  labelsSource: string | undefined;
}

/** Slack for headers when bounding a binary file's size by the decoded-size budget. */
const HEADER_SLACK = 64 * 1024;

/** Read and decode the input (and labels) named on the command line. */
export async function loadData(args: Pick<SelectArgs, 'input' | 'labels' | 'scale' | 'maxInputBytes'>, signal?: AbortSignal): Promise<LoadedData> {
  const format = formatFromPath(args.input);
  const labelsFormat = args.labels === undefined ? undefined : formatFromPath(args.labels);
  if (args.scale !== undefined && format !== 'idx') {
    throw new UsageError(`--scale applies only to IDX input, but ${args.input} is ${format}`);
  }
  const maxBytes = args.maxInputBytes;

  const bytes = await readBytes(args.input, format, maxBytes, signal);
  const readOptions = { source: args.input, maxBytes, scale: args.scale };
  // LIBSVM labels given by --labels replace the inline ones, which then need not be classes
  // (regression targets, say); otherwise the inline labels must be integers.
  const { matrix, labels: inline } = format === 'libsvm' && args.labels !== undefined
    ? { matrix: readLibsvm(bytes, readOptions).matrix, labels: undefined }
    : await readMatrix(bytes, format, readOptions);

  let labels = inline;
  let labelsSource = inline === undefined ? undefined : args.input;
  if (args.labels !== undefined && labelsFormat !== undefined) {
    const labelBytes = await readBytes(args.labels, labelsFormat, maxBytes, signal);
    labels = await readLabels(labelBytes, labelsFormat, args.labels, maxBytes);
    labelsSource = args.labels;
    if (labels.length !== matrix.rows) {
      throw new AdacoreError(
        args.labels,
        `has ${labels.length} labels but ${args.input} has ${matrix.rows} rows; expected one label per row`,
      );
    }
  }
  return { matrix, format, labels, labelsSource };
}

/** A .npy input read a block at a time, its labels, and the file to close. */
export interface StreamedData {
  stream: NpyRowStream;
  labels: Int32Array | undefined;
  labelsSource: string | undefined;
  close(): Promise<void>;
}

/**
 * A .npy --input too large for half of --max-memory, opened as a stream of row blocks (the
 * selection then runs out of core within the budget); undefined for input read whole.
 */
export async function openStream(args: Pick<SelectArgs, 'input' | 'labels' | 'maxInputBytes'> & { engine: { memoryBudget?: number } }, signal?: AbortSignal): Promise<StreamedData | undefined> {
  const budget = args.engine.memoryBudget;
  if (budget === undefined || formatFromPath(args.input) !== 'npy') return undefined;
  const size = await stat(args.input).then((info) => info.size, (e) => { throw fileError(args.input, e); });
  if (2 * size <= budget) return undefined;
  const handle = await open(args.input, 'r').catch((e) => { throw fileError(args.input, e); });
  try {
    const stream = await npyRowBlocks({
      size,
      async read(offset, length) {
        const buffer = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return buffer.subarray(0, done);
      },
    }, { source: args.input });
    let labels: Int32Array | undefined;
    if (args.labels !== undefined) {
      const labelsFormat = formatFromPath(args.labels);
      labels = await readLabels(await readBytes(args.labels, labelsFormat, args.maxInputBytes, signal), labelsFormat, args.labels, args.maxInputBytes);
      if (labels.length !== stream.rows) {
        throw new AdacoreError(args.labels, `has ${labels.length} labels but ${args.input} has ${stream.rows} rows; expected one label per row`);
      }
    }
    return { stream, labels, labelsSource: args.labels, close: () => handle.close() };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

async function readLabels(bytes: Uint8Array, format: DataFormat, source: string, maxBytes: number): Promise<Int32Array> {
  switch (format) {
    case 'npy': return readNpyLabels(bytes, { source, maxBytes });
    case 'csv': return readCsvLabels(bytes, { source, maxBytes });
    case 'idx': return readIdxLabels(bytes, { source, maxBytes });
    case 'libsvm': return labelsToClasses(readLibsvm(bytes, { source, maxBytes }).labels, source);
  }
}

/**
 * The file's bytes. Files too large for the budget are refused before reading: binary data
 * decodes to at least half its size (int64 to float32 is the worst case), and text is held
 * in memory whole while it is parsed. The readers then check the decoded size from the header.
 */
async function readBytes(path: string, format: DataFormat, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new AdacoreError(path, 'is a directory, not a data file');
    size = info.size;
  } catch (e) {
    throw fileError(path, e);
  }
  const binary = format === 'npy' || format === 'idx';
  const limit = binary ? 2 * maxBytes + HEADER_SLACK : maxBytes;
  if (size > limit) {
    throw new AdacoreError(
      path,
      `the file is ${size} bytes, too large for --max-input-bytes ${maxBytes}` +
        `${binary ? ' (binary data decodes to at least half its size)' : ''}; raise --max-input-bytes if this is intended`,
    );
  }
  try {
    const buffer = await readFile(path, { signal });
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (e) {
    throw fileError(path, e);
  }
}

/** A file-system error as an AdacoreError naming the path (an abort passes through). */
function fileError(path: string, e: unknown): unknown {
  if (e instanceof AdacoreError) return e;
  const err = e as { code?: string; name?: string; message?: string };
  if (err?.name === 'AbortError') return e;
  switch (err?.code) {
    case 'ENOENT': return new AdacoreError(path, 'no such file');
    case 'EISDIR': return new AdacoreError(path, 'is a directory, not a data file');
    case 'EACCES':
    case 'EPERM': return new AdacoreError(path, 'permission denied');
    case 'ENOTDIR': return new AdacoreError(path, 'a part of the path is not a directory');
    case 'ERR_FS_FILE_TOO_LARGE': return new AdacoreError(path, 'the file is too large to read at once (over 2 GiB)');
    default: return new AdacoreError(path, `cannot read: ${err?.message ?? String(e)}`);
  }
}
