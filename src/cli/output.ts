// The CLI's JSON result and writing it: to a file (write-files.ts: temp name in the same
// folder, then rename, so a failed run never leaves a partial or stale-looking file) or to stdout.
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AdacoreError, type Coreset, type Selection } from '../index.js';
import type { SelectArgs } from './parse-select.js';
import { writeFiles } from './write-files.js';

export interface ResultInfo {
  args: SelectArgs;
  rows: number;
  dim: number;
  /** Where the labels came from (the --labels file, or the input for LIBSVM), or undefined. */
  labelsSource: string | undefined;
  version: string;
}

/**
 * The result document, one top-level field per line with arrays kept on one line. With
 * --method it also has `method`, and the options name the logits file and AdaCore's knobs
 * (null where they do not apply).
 */
export function coresetJson(coreset: Coreset | Selection, info: ResultInfo): string {
  const { args } = info;
  const doc: Record<string, unknown> = args.method === undefined ? plainDocument(coreset, info) : methodDocument(coreset, info);
  const lines = Object.entries(doc).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** The fields every output document starts with: the selection and the data's shape. */
function resultFields(coreset: Coreset | Selection, info: ResultInfo): Record<string, unknown> {
  return {
    indices: Array.from(coreset.indices),
    weights: Array.from(coreset.weights),
    gains: Array.from(coreset.gains),
    cost: coreset.cost,
    seconds: coreset.seconds,
    path: coreset.path,
    evaluations: coreset.evaluations,
    rows: info.rows,
    dim: info.dim,
  };
}

function plainDocument(coreset: Coreset | Selection, info: ResultInfo): Record<string, unknown> {
  const { args } = info;
  return {
    ...resultFields(coreset, info),
    options: {
      input: args.input,
      ...selectionOptions(coreset, info),
      epsilon: args.engine.epsilon,
    },
    version: info.version,
  };
}

/** The options both documents report, with the values the selection used. */
function selectionOptions(coreset: Coreset | Selection, { args, labelsSource }: ResultInfo): Record<string, unknown> {
  const partitioned = coreset.optimizer === 'partitioned';
  return {
    labels: labelsSource ?? null,
    budget: coreset.budget,
    fraction: args.fraction ?? null,
    metric: coreset.metric,
    optimizer: coreset.optimizer,
    seed: args.engine.seed,
    blockMemory: args.engine.blockMemory,
    partitionSize: partitioned ? args.engine.partitionSize : null,
    oversampling: partitioned ? args.engine.oversampling : null,
    threads: coreset.threads,
    scale: args.scale ?? 1,
  };
}

function methodDocument(coreset: Coreset | Selection, info: ResultInfo): Record<string, unknown> {
  const { args } = info;
  const method = args.method!;
  const adacore = method.adacore;
  return {
    ...resultFields(coreset, info),
    method: method.method,
    options: {
      method: method.method,
      input: method.source === 'input' ? args.input : null,
      logits: method.source === 'logits' ? args.input : null,
      ...selectionOptions(coreset, info),
      // --epsilon is stochastic greedy's only: null when another optimizer ran
      epsilon: coreset.optimizer === 'stochastic' ? args.engine.epsilon : null,
      hessianPower: adacore?.hessianPower ?? null,
      preconditionEpsilon: adacore?.preconditionEpsilon ?? null,
      beta: adacore?.beta ?? null,
      biasCorrection: adacore?.biasCorrection ?? null,
      preconditioning: adacore?.preconditioning ?? null,
    },
    version: info.version,
  };
}

/**
 * Fail early (before a long selection) when --out cannot be written: its folder must exist
 * and it must not be a folder itself.
 */
export async function checkOutputPath(path: string, flag = '--out'): Promise<void> {
  const dir = dirname(path);
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch {
    throw new AdacoreError(flag, `cannot write ${path}: the folder ${dir} does not exist`);
  }
  if (!isDir) throw new AdacoreError(flag, `cannot write ${path}: ${dir} is not a folder`);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new AdacoreError(flag, `${path} is a folder; give a file name`);
}

/**
 * Write `text` to a temporary file next to `path`, then rename it into place (a device or pipe
 * is written to directly); errors name `flag`.
 */
export async function writeFileAtomic(path: string, text: string, flag = '--out'): Promise<void> {
  await writeFiles([{ flag, path, data: text }]);
}

/** Write to stdout and wait until the text is handed to the OS. */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
