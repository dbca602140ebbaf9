// Runtime-neutral data-file readers: they take bytes (or text), never touch the file system.
import { AdacoreError } from '../errors.js';
import type { Matrix, ReadOptions } from './types.js';
import { readNpyMatrix } from './npy.js';
import { readCsvMatrix } from './csv.js';
import { readIdxMatrix } from './idx.js';
import { labelsToClasses, readLibsvm } from './libsvm.js';

export type { Matrix, ReadOptions } from './types.js';
export { readNpyMatrix, readNpyLabels, npyRowBlocks, type ByteSource, type NpyBlocksOptions, type NpyRowStream } from './npy.js';
export { readCsvMatrix, readCsvLabels } from './csv.js';
export { readIdx, readIdxMatrix, readIdxLabels, type IdxData, type IdxMatrixOptions } from './idx.js';
export { readLibsvm, labelsToClasses, type LibsvmOptions } from './libsvm.js';
export { encodeNpy, encodeCsv, type NpyArray } from './write.js';

export type DataFormat = 'npy' | 'csv' | 'idx' | 'libsvm';

export interface ReadMatrixOptions extends ReadOptions {
  /** LIBSVM: number of features (default: largest index seen). */
  dim?: number;
  /** LIBSVM: indices start at 0. */
  zeroBased?: boolean;
  /** IDX: multiply values, e.g. 1/255. */
  scale?: number;
}

/**
 * Read a matrix in any supported format. Only LIBSVM carries labels in the same file;
 * they come back as class ids 0..C-1 (a non-integer label is an error).
 */
export async function readMatrix(
  bytes: Uint8Array,
  format: DataFormat,
  opts: ReadMatrixOptions = {},
): Promise<{ matrix: Matrix; labels?: Int32Array }> {
  switch (format) {
    case 'npy': return { matrix: readNpyMatrix(bytes, opts) };
    case 'csv': return { matrix: readCsvMatrix(bytes, opts) };
    case 'idx': return { matrix: await readIdxMatrix(bytes, opts) };
    case 'libsvm': {
      const { matrix, labels } = readLibsvm(bytes, opts);
      return { matrix, labels: labelsToClasses(labels, opts.source ?? 'input') };
    }
    default:
      throw new AdacoreError('format', `unknown format ${JSON.stringify(format)}; supported: npy, csv, idx, libsvm`);
  }
}

const EXTENSIONS: Record<string, DataFormat> = {
  '.npy': 'npy', '.csv': 'csv', '.tsv': 'csv', '.txt': 'csv',
  '.svm': 'libsvm', '.libsvm': 'libsvm', '.svmlight': 'libsvm',
};

/** Guess the format from a file name; an unknown extension is an error listing the supported ones. */
export function formatFromPath(path: string): DataFormat {
  const name = path.split(/[\\/]/).pop()!.toLowerCase();
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot) : '';
  if (Object.hasOwn(EXTENSIONS, ext)) return EXTENSIONS[ext];
  if (/-ubyte(\.gz)?$/.test(name) || name.includes('idx')) return 'idx';
  throw new AdacoreError(
    path,
    `unknown data file type${ext ? ` '${ext}'` : ''}; supported: .npy, .csv, .tsv, .txt, .svm, .libsvm, .svmlight, ` +
      `and IDX files (names ending -ubyte or -ubyte.gz, or containing 'idx')`,
  );
}
