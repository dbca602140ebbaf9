// `adacore prune`'s command line: the selection flags as `adacore select` reads them (without
// --method), and the output files, checked for clashes before any data is read.
import { resolve } from 'node:path';
import { PRUNE_FLAGS } from './flags.js';
import { nonEmpty, parseSelection, type SelectArgs } from './parse-select.js';
import { UsageError } from './usage-error.js';

export interface PruneArgs extends SelectArgs {
  out: string;
  labelsOut: string | undefined;
  weightsOut: string | undefined;
  indicesOut: string | undefined;
  force: boolean;
}

/** Parse `adacore prune`'s arguments; undefined when --help was asked for. */
export function parsePrune(argv: string[]): PruneArgs | undefined {
  const parsed = parseSelection(argv, PRUNE_FLAGS, 'prune');
  if (parsed === undefined) return undefined;
  const { args, values } = parsed;
  const text = (name: string) => nonEmpty(`--${name}`, values[name] as string | undefined);
  const out = text('out');
  if (out === undefined) throw new UsageError('--out FILE is required (where the kept rows go)');
  const labelsOut = text('labels-out');
  if (labelsOut !== undefined && args.labels === undefined && !/\.(svm|libsvm|svmlight)$/i.test(args.input)) {
    throw new UsageError('--labels-out needs labels: give --labels FILE (or LIBSVM input)');
  }
  const result: PruneArgs = { ...args, out, labelsOut, weightsOut: text('weights-out'), indicesOut: text('indices-out'), force: values.force === true };
  const outputs = outputFiles(result);
  const inputs = new Map([[resolve(args.input), '--input'], ...(args.labels ? [[resolve(args.labels), '--labels'] as [string, string]] : [])]);
  const seen = new Map<string, string>();
  for (const { flag, path } of outputs) {
    const full = resolve(path);
    if (inputs.has(full)) throw new UsageError(`${flag} ${path} is also ${inputs.get(full)}: prune never overwrites its input`);
    if (seen.has(full)) throw new UsageError(`${flag} and ${seen.get(full)} name the same file ${path}`);
    seen.set(full, flag);
  }
  return result;
}

/** Every output file prune would write, with its flag. */
export function outputFiles(args: PruneArgs): { flag: string; path: string }[] {
  return [
    { flag: '--out', path: args.out },
    ...(args.labelsOut ? [{ flag: '--labels-out', path: args.labelsOut }] : []),
    ...(args.weightsOut ? [{ flag: '--weights-out', path: args.weightsOut }] : []),
    ...(args.indicesOut ? [{ flag: '--indices-out', path: args.indicesOut }] : []),
  ];
}
