// The CLI's flags. Library options come from their declarations (src/options): flag, value
// placeholder, doc line and default. The flags that only the CLI has (files, output) are
// declared here the same way. parseArgs' table and the usage text are derived from both.
import { parseArgs } from 'node:util';
import { ADACORE_OPTIONS, BUDGET_OPTIONS, METHOD_OPTION, SELECT_OPTIONS, type OptionSpec } from '../index.js';
import { UsageError } from './usage-error.js';

/** A flag of the command line: the library option it sets (if any) and how it reads. */
export interface Flag {
  /** Without the dashes. */
  name: string;
  /** 'string' values are taken as they are (file names, choices). */
  kind: 'string' | 'number' | 'integer' | 'bytes' | 'boolean';
  metavar?: string;
  short?: string;
  doc: string;
  /** The default as the usage text shows it. */
  defaultText?: string;
  /** The library option it sets, with its declaration. */
  option?: { name: string; spec: OptionSpec<any> };
}

/** The flags of the declared options that have one. */
export function fromDeclarations(declarations: Record<string, OptionSpec<any>>): Flag[] {
  const flags: Flag[] = [];
  for (const [name, spec] of Object.entries(declarations)) {
    if (spec.flag === undefined) continue;
    flags.push({
      name: spec.flag,
      kind: spec.kind === 'choice' ? 'string' : spec.kind === 'function' ? 'string' : spec.kind,
      metavar: spec.kind === 'choice' ? (spec.choices as string[]).join(' | ') : spec.metavar,
      doc: spec.doc,
      defaultText: spec.defaultText ?? (spec.default === undefined ? undefined : String(spec.default)),
      option: { name, spec },
    });
  }
  return flags;
}

export const INPUT_FLAGS: Flag[] = [
  {
    name: 'input', kind: 'string', metavar: 'FILE',
    doc: 'The data: .npy (2-D float32/float64/integer), .csv/.tsv/.txt (numbers, optional header line), IDX as in (Fashion-)MNIST (names ending -ubyte or -ubyte.gz), or LIBSVM/svmlight (.svm/.libsvm/.svmlight, labels inline).',
  },
  {
    name: 'labels', kind: 'string', metavar: 'FILE',
    doc: 'One integer class label per row (.npy, .csv/.txt or IDX); the budget is split over classes in proportion to their sizes. With LIBSVM input it replaces the inline labels.',
  },
  { name: 'scale', kind: 'number', metavar: 'S', defaultText: '1', doc: 'Multiply IDX values by S, e.g. 0.00392156862745098 (1/255).' },
  {
    name: 'max-input-bytes', kind: 'bytes', metavar: 'N', defaultText: '2G',
    doc: 'Refuse input whose decoded data (for text formats, the file) is larger than N bytes, before allocating it.',
  },
];

export const SELECTION_FLAGS: Flag[] = [
  ...fromDeclarations(BUDGET_OPTIONS),
  ...fromDeclarations(SELECT_OPTIONS),
  {
    name: 'stochastic-epsilon', kind: 'number', metavar: 'E',
    doc: 'Stochastic greedy\'s epsilon under any --method (where --method adacore makes --epsilon AdaCore\'s).',
    option: { name: 'epsilon', spec: SELECT_OPTIONS.epsilon },
  },
];

export const METHOD_FLAGS: Flag[] = [
  ...fromDeclarations({ method: METHOD_OPTION }),
  {
    name: 'logits', kind: 'string', metavar: 'FILE',
    doc: 'Model outputs, rows x classes (.npy, .csv or IDX): the gradients are softmax cross-entropy\'s with respect to the logits, g = softmax(z) - onehot(y), with Hessian diagonal p (1 - p). Needs --labels. craig and random may take --input instead: its rows are the gradients.',
  },
];

/** AdaCore's knobs: they apply with --method adacore only. */
export const ADACORE_FLAGS: Flag[] = fromDeclarations(ADACORE_OPTIONS);

export const OUTPUT_FLAGS: Flag[] = [
  { name: 'out', short: 'o', kind: 'string', metavar: 'FILE', doc: 'Write the JSON to FILE (only once the selection succeeded); default: standard output.' },
  { name: 'quiet', short: 'q', kind: 'boolean', doc: 'Nothing on stderr unless there is an error.' },
  { name: 'help', short: 'h', kind: 'boolean', doc: 'Show this help.' },
];

/** Selection on many machines (adacore/distributed): the rows of --input, in hash partitions run by `adacore worker`s. */
export const DISTRIBUTED_FLAGS: Flag[] = [
  { name: 'distributed', kind: 'boolean', doc: 'Select in hash partitions as BullMQ jobs on Redis, run by `adacore worker` processes (needs bullmq and ioredis installed); gives what selectPartitioned gives in one process.' },
  { name: 'redis', kind: 'string', metavar: 'URL', doc: 'The Redis the workers listen on, e.g. redis://127.0.0.1:6379.' },
  { name: 'partitions', kind: 'integer', metavar: 'P', doc: 'Hash partitions: select and assign jobs of the run.' },
  { name: 'store', kind: 'string', metavar: 'DIR', doc: 'A directory every worker can read and write (the partitions\' rows and the steps\' outputs).' },
  { name: 'queue', kind: 'string', metavar: 'NAME', defaultText: 'adacore', doc: 'The BullMQ queue (the workers\' --queue).' },
  { name: 'attempts', kind: 'integer', metavar: 'N', defaultText: '3', doc: 'Tries per job before the run fails.' },
];

export const SELECT_FLAGS: Flag[] = [...INPUT_FLAGS, ...SELECTION_FLAGS, ...METHOD_FLAGS, ...ADACORE_FLAGS, ...DISTRIBUTED_FLAGS, ...OUTPUT_FLAGS];

/** `adacore worker`'s flags. */
export const WORKER_FLAGS: Flag[] = [
  { name: 'redis', kind: 'string', metavar: 'URL', doc: 'The Redis to take jobs from (required), e.g. redis://127.0.0.1:6379.' },
  { name: 'concurrency', kind: 'integer', metavar: 'N', defaultText: '1', doc: 'Jobs at once, each in its own thread.' },
  { name: 'queue', kind: 'string', metavar: 'NAME', defaultText: 'adacore', doc: 'The BullMQ queue (the driver\'s --queue).' },
  { name: 'lock-duration', kind: 'integer', metavar: 'MS', defaultText: '30000', doc: 'A job\'s lock without renewal: how soon another worker takes over the job of a worker that died.' },
  { name: 'stalled-interval', kind: 'integer', metavar: 'MS', defaultText: 'the lock duration, at most 30000', doc: 'How often stalled jobs are looked for.' },
  { name: 'quiet', short: 'q', kind: 'boolean', doc: 'No line per job on stderr.' },
  { name: 'help', short: 'h', kind: 'boolean', doc: 'Show this help.' },
];

/** `adacore prune`'s outputs: the kept rows and what goes with them. */
export const PRUNE_OUTPUT_FLAGS: Flag[] = [
  { name: 'out', short: 'o', kind: 'string', metavar: 'FILE', doc: 'Write the kept rows to FILE (required): .npy for .npy, IDX and LIBSVM input, .csv/.tsv/.txt for text input; in input order.' },
  { name: 'labels-out', kind: 'string', metavar: 'FILE', doc: 'Write the kept rows\' labels (int32; .npy, or text for a .csv/.txt name).' },
  { name: 'weights-out', kind: 'string', metavar: 'FILE', doc: 'Write their weights (float32 cluster sizes, summing to the number of input rows).' },
  { name: 'indices-out', kind: 'string', metavar: 'FILE', doc: 'Write their row numbers in the input (int32, ascending).' },
  { name: 'force', short: 'f', kind: 'boolean', doc: 'Replace output files that exist (without it an existing file is an error, before any work).' },
  { name: 'quiet', short: 'q', kind: 'boolean', doc: 'No progress bar and no summary on stderr.' },
  { name: 'help', short: 'h', kind: 'boolean', doc: 'Show this help.' },
];

export const PRUNE_FLAGS: Flag[] = [...INPUT_FLAGS, ...SELECTION_FLAGS, ...PRUNE_OUTPUT_FLAGS];

/** node:util parseArgs' options table for `flags`: every value is read as a string, then parsed by kind. */
export function parseArgsTable(flags: Flag[]): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  const table: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const flag of flags) table[flag.name] = { type: flag.kind === 'boolean' ? 'boolean' : 'string', ...(flag.short ? { short: flag.short } : {}) };
  return table;
}

/**
 * Parse `argv` strictly against `flags` (node:util parseArgs, every value a string); a repeated
 * flag is a usage error (parseArgs would keep the last silently, and a repeat is more likely a
 * mistake). Returns the values and the flags given.
 */
export function parseFlags(argv: string[], flags: Flag[], command: string): { values: Record<string, string | boolean | undefined>; seen: Set<string> } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: parseArgsTable(flags), strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    throw new UsageError(parseArgsMessage(e, command));
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, seen };
}

/** parseArgs' messages, shortened to one line that names the flag. */
function parseArgsMessage(e: unknown, command: string): string {
  const err = e as { code?: string; message?: string };
  const message = String(err.message ?? e);
  const name = /'([^']*)'/.exec(message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name ?? message} (see adacore ${command} --help)`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(name ?? message)}; the data file goes after --input`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /--[\w-]+/.exec(message)?.[0] ?? name ?? 'option';
      if (/does not take an argument/.test(message)) return `${flag} does not take a value`;
      if (/ambiguous/.test(message)) return `${flag} needs a value (to give a value starting with '-', write ${flag}=VALUE)`;
      return `${flag} needs a value`;
    }
    default:
      return message.split('\n')[0];
  }
}

const FLAG_COLUMN = 26;
const WIDTH = 88;

/** One flag's lines in the usage text: the flag and placeholder, then the doc wrapped beside it. */
export function usageLines(flag: Flag): string {
  const head = `  ${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.metavar ? ` ${flag.metavar}` : ''}`;
  const text = flag.defaultText === undefined ? flag.doc : `${flag.doc.replace(/\.$/, '')}; default ${flag.defaultText}.`;
  const lines = wrap(text, WIDTH - FLAG_COLUMN);
  const first = head.length < FLAG_COLUMN - 1 ? [head.padEnd(FLAG_COLUMN) + lines.shift()] : [head];
  return [...first, ...lines.map((line) => ' '.repeat(FLAG_COLUMN) + line)].join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) { lines.push(line); line = word; } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
