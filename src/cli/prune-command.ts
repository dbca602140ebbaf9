// `adacore prune`: select a coreset of the input's rows and write the rows themselves (with
// their labels, weights and row numbers if asked). Every file is written under a temporary
// name and renamed into place only once all of them are written (write-files.ts), so an error
// or Ctrl-C leaves nothing behind; an existing file is replaced only with --force, checked
// before any work (a device or pipe is written to, never replaced, and needs no --force).
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { resourceUsage } from 'node:process';
import { AdacoreError, encodeCsv, encodeNpy, selectCoreset, type NpyArray } from '../index.js';
import { loadData, openStream } from './load.js';
import { checkOutputPath } from './output.js';
import { outputFiles, type PruneArgs } from './parse-prune.js';
import { progressDisplay } from './progress.js';
import { EXIT_INTERRUPTED, EXIT_OK, reportError } from './report.js';
import { isSpecialFile, writeFiles } from './write-files.js';

export async function runPrune(args: PruneArgs): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = progressDisplay(!args.quiet && process.stderr.isTTY === true ? process.stderr : undefined);
  try {
    const outputs = outputFiles(args);
    for (const { flag, path } of outputs) await checkWritable(flag, path, args.force);
    // a .npy larger than half of --max-memory is read a block at a time (out of core)
    const streamed = await openStream(args, controller.signal);
    try {
      const loaded = streamed === undefined ? await loadData(args, controller.signal) : undefined;
      const labels = streamed?.labels ?? loaded!.labels;
      const dim = streamed?.stream.dim ?? loaded!.matrix.dim;
      const total = streamed?.stream.rows ?? loaded!.matrix.rows;
      controller.signal.throwIfAborted();
      const coreset = await selectCoreset(streamed?.stream.blocks ?? loaded!.matrix.data, {
        ...args.engine, dim, labels, budget: args.budget, fraction: args.fraction,
        signal: controller.signal, onProgress: progress.onProgress,
      });
      progress.stop();
      controller.signal.throwIfAborted();
      // the kept rows in input order, their weights alongside
      const order = Array.from(coreset.indices.keys()).sort((a, b) => coreset.indices[a] - coreset.indices[b]);
      const indices = Int32Array.from(order, (p) => coreset.indices[p]);
      const weights = Float32Array.from(order, (p) => coreset.weights[p]);
      const rows = streamed !== undefined ? await streamed.stream.readRows(indices) : gatherRows(loaded!.matrix.data, dim, indices);
      await writeOutputs(args, { rows, dim, indices, weights, labels, total, coreset }, controller.signal);
    } finally {
      await streamed?.close();
    }
    return EXIT_OK;
  } catch (e) {
    progress.stop();
    if (controller.signal.aborted) {
      process.stderr.write('adacore: interrupted; no output written\n');
      return EXIT_INTERRUPTED;
    }
    return reportError(e, args);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function gatherRows(data: Float32Array | Float64Array, dim: number, indices: Int32Array): Float32Array | Float64Array {
  const rows = new (data instanceof Float64Array ? Float64Array : Float32Array)(indices.length * dim);
  indices.forEach((row, t) => rows.set(data.subarray(row * dim, (row + 1) * dim), t * dim));
  return rows;
}

interface Kept {
  rows: Float32Array | Float64Array; dim: number; indices: Int32Array; weights: Float32Array;
  labels: Int32Array | undefined; total: number; coreset: Awaited<ReturnType<typeof selectCoreset>>;
}

/** Every output file, all or nothing, and the summary on stderr. */
async function writeOutputs(args: PruneArgs, { rows, dim, indices, weights, labels, total, coreset }: Kept, signal: AbortSignal): Promise<void> {
  const files = [
    { flag: '--out', path: args.out, data: encode(args.out, '--out', rows, dim) },
    ...(args.labelsOut ? [{ flag: '--labels-out', path: args.labelsOut, data: encode(args.labelsOut, '--labels-out', Int32Array.from(indices, (i) => labels![i]), 1) }] : []),
    ...(args.weightsOut ? [{ flag: '--weights-out', path: args.weightsOut, data: encode(args.weightsOut, '--weights-out', weights, 1) }] : []),
    ...(args.indicesOut ? [{ flag: '--indices-out', path: args.indicesOut, data: encode(args.indicesOut, '--indices-out', indices, 1) }] : []),
  ];
  await writeFiles(files, signal);
  if (!args.quiet) {
    const classes = labels === undefined ? '' : ` in ${new Set(labels).size} classes`;
    const peak = resourceUsage().maxRSS * 1024;
    process.stderr.write(
      `kept ${indices.length} of ${total} rows${classes} (${((100 * indices.length) / total).toFixed(2)} %), `
      + `cost ${coreset.cost.toPrecision(6)}, ${coreset.seconds.toFixed(2)} s, optimizer ${coreset.optimizer}, path ${coreset.path}, `
      + `peak memory ${mib(peak)} (planned ${mib(coreset.plannedBytes)}); wrote ${files.map((f) => f.path).join(', ')}\n`,
    );
  }
}

/** A file's bytes by its extension: .npy, or delimited text (.csv, .tsv, .txt). */
function encode(path: string, flag: string, data: NpyArray, dim: number): Uint8Array | string {
  const extension = extname(path).toLowerCase();
  if (extension === '.npy') return encodeNpy(data, dim === 1 ? [data.length] : [data.length / dim, dim]);
  if (extension === '.csv' || extension === '.txt') return encodeCsv(data, dim, ',');
  if (extension === '.tsv') return encodeCsv(data, dim, '\t');
  throw new AdacoreError(flag, `cannot tell the format of ${path}: name it .npy, .csv, .tsv or .txt`);
}

/** The folder must exist, and the file must not unless --force. */
async function checkWritable(flag: string, path: string, force: boolean): Promise<void> {
  await checkOutputPath(path, flag);
  encode(path, flag, new Float32Array(0), 1); // the format, before any work
  if (!force && (await stat(path).catch(() => undefined)) !== undefined && !(await isSpecialFile(path))) {
    throw new AdacoreError(flag, `${path} exists; pass --force to replace it`);
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}
