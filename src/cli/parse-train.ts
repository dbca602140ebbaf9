// `adacore train`'s command line. The training options' flags come from their declarations
// (adacore/tf's TRAIN_OPTIONS, loaded only for this command: it brings tfjs); the data flags are
// the CLI's own. Values are parsed for syntax here and checked by the library's resolver before
// any data is read, so a bad value is a usage error naming the flag.
import { OptionError, resolveDeclared, type OptionSpec } from '../index.js';
import { fromDeclarations, parseFlags, usageLines, type Flag } from './flags.js';
import { parseBytes, parseDecimal } from './numbers.js';
import { DEFAULT_MAX_INPUT_BYTES, inFlagWords, problemOf, refuseOverwrite } from './parse-select.js';
import { UsageError } from './usage-error.js';

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

export interface TrainArgs {
  /** 'fashion-mnist' (Debian's dataset-fashion-mnist), or undefined with --input. */
  data: 'fashion-mnist' | undefined;
  input: string | undefined;
  labels: string | undefined;
  testInput: string | undefined;
  testLabels: string | undefined;
  model: 'logistic' | 'softmax' | 'mlp';
  hidden: number[];
  /** Two classes to keep (relabelled 0 and 1) for a binary task, e.g. [0, 6]. */
  classes: [number, number] | undefined;
  scale: number | undefined;
  maxInputBytes: number;
  out: string | undefined;
  chart: string | undefined;
  quiet: boolean;
  /** The training options as given (the library fills in defaults). */
  options: Record<string, unknown>;
  flagOf: Record<string, string>;
}

const DATA_FLAGS: Flag[] = [
  { name: 'data', kind: 'string', metavar: 'fashion-mnist', doc: `Fashion-MNIST from Debian's dataset-fashion-mnist (${FASHION_DIR}): 60,000 training and 10,000 test images, scaled to [0, 1].` },
  { name: 'input', kind: 'string', metavar: 'FILE', doc: 'Training rows (.npy, .csv, IDX or LIBSVM, as for adacore select).' },
  { name: 'labels', kind: 'string', metavar: 'FILE', doc: 'One integer class per training row.' },
  { name: 'test-input', kind: 'string', metavar: 'FILE', doc: 'Test rows: the curve reports test accuracy on them.' },
  { name: 'test-labels', kind: 'string', metavar: 'FILE', doc: 'One integer class per test row.' },
  { name: 'classes', kind: 'string', metavar: 'A,B', doc: 'Keep only these two classes (as 0 and 1): a binary task, e.g. 0,6 (T-shirt vs shirt).' },
  { name: 'scale', kind: 'number', metavar: 'S', doc: 'Multiply IDX values by S (--data fashion-mnist uses 1/255).' },
  { name: 'max-input-bytes', kind: 'bytes', metavar: 'N', defaultText: '2G', doc: 'Refuse larger inputs before reading them.' },
];
const MODEL_FLAGS: Flag[] = [
  { name: 'model', kind: 'string', metavar: 'logistic | softmax | mlp', defaultText: 'softmax', doc: 'Binary logistic regression, softmax regression, or an MLP.' },
  { name: 'hidden', kind: 'string', metavar: 'N,N', defaultText: '100', doc: 'MLP hidden layer sizes.' },
];
const OUTPUT_FLAGS: Flag[] = [
  { name: 'out', short: 'o', kind: 'string', metavar: 'FILE', doc: 'Write the run (options, curve, final accuracy, time to target) as JSON; default: standard output.' },
  { name: 'chart', kind: 'string', metavar: 'FILE', doc: 'Write the learning curves as a self-contained HTML page.' },
  { name: 'quiet', short: 'q', kind: 'boolean', doc: 'Nothing on stderr unless there is an error.' },
  { name: 'help', short: 'h', kind: 'boolean', doc: 'Show this help.' },
];

export function trainUsage(declarations: Record<string, OptionSpec<any>>): string {
  const section = (title: string, flags: Flag[]) => `${title}\n${flags.map(usageLines).join('\n')}\n`;
  return `Usage: adacore train (--data fashion-mnist | --input FILE --labels FILE) [options]

Train a model on all rows or on coresets (random, CRAIG, AdaCore), and write its learning
curve: loss and accuracy against epochs and wall time (selection included).

${section('Data:', DATA_FLAGS)}
${section('Model:', MODEL_FLAGS)}
${section('Training:', fromDeclarations(declarations))}
${section('Output:', OUTPUT_FLAGS)}
Exit status: 0 success, 1 error, 2 usage error, 130 interrupted (Ctrl-C).
`;
}

/** Parse `adacore train`'s arguments; undefined when --help was asked for. */
export function parseTrain(argv: string[], declarations: Record<string, OptionSpec<any>>): TrainArgs | undefined {
  const flags = [...DATA_FLAGS, ...MODEL_FLAGS, ...fromDeclarations(declarations), ...OUTPUT_FLAGS];
  const { values, seen } = parseFlags(argv, flags, 'train');
  if (values.help) return undefined;
  const text = (name: string) => values[name] as string | undefined;
  if (text('data') !== undefined && text('data') !== 'fashion-mnist') throw new UsageError(`--data: unknown data set ${JSON.stringify(text('data'))}; expected fashion-mnist`);
  if (seen.has('data') === seen.has('input')) throw new UsageError('give --data fashion-mnist or --input FILE --labels FILE (one of the two)');
  if (seen.has('input') && !seen.has('labels')) throw new UsageError('--input needs --labels FILE (one class per row)');
  if (seen.has('test-input') !== seen.has('test-labels')) throw new UsageError('give --test-input and --test-labels together');
  const model = text('model') ?? 'softmax';
  if (!['logistic', 'softmax', 'mlp'].includes(model)) throw new UsageError(`--model: unknown model ${JSON.stringify(model)}; expected one of logistic, softmax, mlp`);
  const hidden = (text('hidden') ?? '100').split(',').map((part) => parseDecimal('--hidden', part, 'positive layer sizes, e.g. 100 or 256,128'));
  if (!hidden.every((h) => Number.isInteger(h) && h > 0)) throw new UsageError(`--hidden: expected positive layer sizes, e.g. 100 or 256,128, got ${text('hidden')}`);
  const classes = text('classes') === undefined ? undefined : parseClasses(text('classes')!);

  const options: Record<string, unknown> = {};
  const flagOf: Record<string, string> = {};
  for (const flag of flags) {
    if (flag.option === undefined || !seen.has(flag.name)) continue;
    const raw = text(flag.name)!;
    options[flag.option.name] = flag.kind === 'number' || flag.kind === 'integer'
      ? parseDecimal(`--${flag.name}`, raw, flag.option.spec.expected) : raw;
    flagOf[flag.option.name] = `--${flag.name}`;
  }
  try {
    resolveDeclared(declarations, options);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    throw new UsageError(`${flagOf[e.argument] ?? e.argument}: ${inFlagWords(problemOf(e), flagOf)}`);
  }
  refuseOverwrite([['--out', text('out')], ['--chart', text('chart')]],
    [['--input', text('input')], ['--labels', text('labels')], ['--test-input', text('test-input')], ['--test-labels', text('test-labels')]]);
  const scale = text('scale') === undefined ? undefined : parseDecimal('--scale', text('scale')!, 'a positive number');
  if (scale !== undefined && !(scale > 0)) throw new UsageError(`--scale: expected a positive number, got ${text('scale')}`);
  return {
    data: seen.has('data') ? 'fashion-mnist' : undefined, input: text('input'), labels: text('labels'),
    testInput: text('test-input'), testLabels: text('test-labels'), model: model as TrainArgs['model'], hidden, classes, scale,
    maxInputBytes: text('max-input-bytes') === undefined ? DEFAULT_MAX_INPUT_BYTES : parseBytes('--max-input-bytes', text('max-input-bytes')!),
    out: text('out'), chart: text('chart'), quiet: values.quiet === true, options, flagOf,
  };
}

function parseClasses(text: string): [number, number] {
  const parts = text.split(',').map((p) => parseDecimal('--classes', p, 'two class labels, e.g. 0,6'));
  if (parts.length !== 2 || !parts.every((c) => Number.isInteger(c) && c >= 0) || parts[0] === parts[1]) {
    throw new UsageError(`--classes: expected two different class labels, e.g. 0,6, got ${text}`);
  }
  return [parts[0], parts[1]];
}
