// Command-line parsing for `adacore`: the command, its flags (node:util parseArgs, strict),
// full-string number parsing, and the usage text. Every problem here is a usage error (exit 2).
import { parseArgs } from 'node:util';
import { ADACORE_DEFAULTS, PRECONDITIONINGS, SELECTOR_OPTIMIZER } from '../adacore/options.js';
import { SELECTION_METHODS, type Preconditioning, type SelectionMethod } from '../adacore/types.js';
import { DEFAULTS, METRICS, OPTIMIZERS, type Metric, type Optimizer } from '../select/options.js';

/** A problem with the command line itself: reported with exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const DEFAULT_MAX_INPUT_BYTES = 2 * 1024 ** 3;

/** AdaCore's knobs on the command line. */
export interface AdaCoreArgs {
  hessianPower: number;
  preconditionEpsilon: number;
  beta: number;
  preconditioning: Preconditioning;
}

/** Selection by method on per-example gradients (--method, or --logits). */
export interface MethodArgs {
  method: SelectionMethod;
  /** 'logits': `input` holds model outputs (softmax cross-entropy gradients); 'input': its rows are the gradients. */
  source: 'logits' | 'input';
  /** Set for --method adacore only. */
  adacore: AdaCoreArgs | undefined;
  /** The optimizer: --optimizer, else the selectors' default. */
  optimizer: Optimizer;
}

export interface SelectArgs {
  /** The data file read: --input, or --logits (then `method.source` is 'logits'). */
  input: string;
  labels: string | undefined;
  budget: number | undefined;
  fraction: number | undefined;
  metric: Metric;
  optimizer: Optimizer;
  seed: number;
  epsilon: number;
  memoryBudget: number;
  /** The partitioned optimizer's part size and oversampling. */
  partitionSize: number;
  oversampling: number;
  /** Classes selected at once in Workers. */
  threads: number;
  /** IDX only; undefined when not given (then 1). */
  scale: number | undefined;
  maxInputBytes: number;
  out: string | undefined;
  quiet: boolean;
  /** Undefined without --method and --logits: the rows of --input are selected as given. */
  method: MethodArgs | undefined;
}

export type Command =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'select'; args: SelectArgs };

export const MAIN_USAGE = `Usage: adacore <command> [options]

Coreset selection by facility location (CRAIG / AdaCore) on SIMD WebAssembly.

Commands:
  select          select a weighted coreset of a data file's rows (adacore select --help)

Options:
  -h, --help      show this help
  -v, --version   print the version
`;

export const SELECT_USAGE = `Usage: adacore select --input FILE (--budget K | --fraction F) [options]
       adacore select --method adacore|craig|random --logits FILE --labels FILE
                      (--budget K | --fraction F) [options]

Select a weighted subset of FILE's rows whose facility-location cost is small, and
write it as JSON: indices, weights (cluster sizes, summing to the number of rows),
gains, cost, path, seconds, evaluations, rows, dim, options and version. With
--method, also the method, and the options include AdaCore's; random's weights are
n_c / k_c for each of the k_c rows drawn from a class of n_c (float32).

Input:
  --input FILE            the data: .npy (2-D float32/float64/integer), .csv/.tsv/.txt
                          (numbers, optional header line), IDX as in (Fashion-)MNIST
                          (names ending -ubyte or -ubyte.gz, gzipped or not), or
                          LIBSVM/svmlight (.svm/.libsvm/.svmlight, labels inline)
  --labels FILE           one integer class label per row (.npy, .csv/.txt or IDX);
                          the budget is split over classes in proportion to their
                          sizes. With LIBSVM input it replaces the inline labels
  --scale S               multiply IDX values by S, e.g. 0.00392156862745098 (1/255);
                          default 1
  --max-input-bytes N     refuse input whose decoded data (for text formats, the file)
                          is larger than N bytes, before allocating it; default 2G

Selection:
  --budget K              number of rows to select, an integer in [1, rows]
  --fraction F            fraction of the rows to select, in (0, 1]
  --metric M              ${METRICS.join(' | ')}; default ${DEFAULTS.metric}
  --optimizer O           ${OPTIMIZERS.join(' | ')}; default ${DEFAULTS.optimizer}, or
                          ${SELECTOR_OPTIMIZER} with --method. partitioned: greedy in random parts,
                          then a weighted merge of their picks (GreeDi); exact lazy
                          greedy on classes of at most --partition-size rows
  --partition-size N      rows per part of the partitioned optimizer, at least 2;
                          default ${DEFAULTS.partitionSize}
  --oversampling X        picks per part of the partitioned optimizer, as a multiple
                          of the part's share of the budget, at least 1; default ${DEFAULTS.oversampling}
  --threads N             select up to N classes at once, each in a worker thread
                          (the result does not change); default ${DEFAULTS.threads}
  --seed S                seed of the stochastic optimizer (and of --method random's
                          draws), an integer in [0, 2^32); default ${DEFAULTS.seed}
  --epsilon E             with --method adacore: AdaCore's epsilon (see
                          --precondition-epsilon). Otherwise stochastic greedy's
                          epsilon, in (0, 1), default ${DEFAULTS.epsilon}, accepted with --method craig
                          or random only with --optimizer stochastic
  --stochastic-epsilon E  stochastic greedy's epsilon under any --method (with
                          --optimizer stochastic)
  --memory-budget N       largest dense distance block in bytes; beyond it distances
                          are computed tile by tile; default 512M

Methods (selection on per-example gradients):
  --method M              ${SELECTION_METHODS.join(' | ')}; default adacore with --logits.
                          adacore: facility location on the Hessian-preconditioned
                          gradients v = g / (sqrt(V)^P + E), V the Hessian diagonal
                          squared; craig: on the plain gradients g; random: uniform
                          per class, each row weighted n_c / k_c. Without --method
                          (and --logits) the rows of --input are selected as given
  --logits FILE           model outputs, rows x classes (.npy, .csv or IDX); the
                          gradients are softmax cross-entropy's with respect to the
                          logits, g = softmax(z) - onehot(y), with Hessian diagonal
                          p (1 - p). Needs --labels (classes 0..classes-1). craig and
                          random may take --input FILE instead: its rows are the
                          gradients
  --hessian-power P       AdaCore's Hessian power, in [0, 1]: 1 preconditions fully,
                          0 not at all (CRAIG's picks); default ${ADACORE_DEFAULTS.hessianPower}
  --precondition-epsilon E
                          AdaCore's epsilon added to the preconditioner, > 0; default
                          ${ADACORE_DEFAULTS.preconditionEpsilon}. With --method adacore, --epsilon E is the same
                          knob (give one of the two)
  --beta B                decay, in [0, 1), of AdaCore's average of squared Hessian
                          diagonals over selection rounds; default ${ADACORE_DEFAULTS.beta}. A CLI run is
                          one round, where bias correction makes the average the
                          current D^2 whatever B is (up to rounding): B matters in the
                          library's selectors that run round after round
  --preconditioning M     ${PRECONDITIONINGS.join(' | ')}: each row's own Hessian diagonal, or
                          their mean for every row; default ${ADACORE_DEFAULTS.preconditioning}

Output:
  -o, --out FILE          write the JSON to FILE (only once the selection succeeded);
                          default: standard output
  -q, --quiet             nothing on stderr unless there is an error
  -h, --help              show this help

Byte counts take an optional suffix K, M, G or T (powers of 1024), e.g. 512M.
Exit status: 0 success, 1 error, 2 usage error, 130 interrupted (Ctrl-C).
Set ADACORE_DEBUG=1 to print stack traces of unexpected errors.
`;

const SELECT_OPTIONS = {
  input: { type: 'string' },
  labels: { type: 'string' },
  budget: { type: 'string' },
  fraction: { type: 'string' },
  metric: { type: 'string' },
  optimizer: { type: 'string' },
  seed: { type: 'string' },
  epsilon: { type: 'string' },
  'stochastic-epsilon': { type: 'string' },
  'memory-budget': { type: 'string' },
  'partition-size': { type: 'string' },
  threads: { type: 'string' },
  oversampling: { type: 'string' },
  method: { type: 'string' },
  logits: { type: 'string' },
  'hessian-power': { type: 'string' },
  'precondition-epsilon': { type: 'string' },
  beta: { type: 'string' },
  preconditioning: { type: 'string' },
  scale: { type: 'string' },
  'max-input-bytes': { type: 'string' },
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parse the whole command line (without `node` and the script). */
export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') return { kind: 'help', text: MAIN_USAGE };
  if (first === '-v' || first === '--version') {
    if (rest.length > 0) throw new UsageError(`${first} takes no further arguments`);
    return { kind: 'version' };
  }
  if (first === 'help') {
    if (rest.length === 0) return { kind: 'help', text: MAIN_USAGE };
    if (rest.length === 1 && rest[0] === 'select') return { kind: 'help', text: SELECT_USAGE };
    throw new UsageError(`no help for ${JSON.stringify(rest.join(' '))}; commands: select`);
  }
  if (first === 'select') return parseSelect(rest);
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (options come after the command: adacore select ...)`);
  throw new UsageError(`unknown command ${JSON.stringify(first)}; commands: select (see adacore --help)`);
}

function parseSelect(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: SELECT_OPTIONS, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    throw new UsageError(parseArgsMessage(e));
  }
  const { values, tokens } = parsed;
  if (values.help) return { kind: 'help', text: SELECT_USAGE };

  // parseArgs keeps the last of repeated flags silently; a repeated flag is more likely a mistake.
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }

  const method = parseMethod(values, seen);
  const input = nonEmpty('--input', values.input) ?? nonEmpty('--logits', values.logits);
  if (input === undefined) throw new UsageError('--input is required (the data file), or --logits with --method');
  const budget = values.budget === undefined ? undefined : parseBudget(values.budget);
  const fraction = values.fraction === undefined ? undefined : parseFraction(values.fraction);
  if (budget !== undefined && fraction !== undefined) throw new UsageError('give either --budget or --fraction, not both');
  if (budget === undefined && fraction === undefined) {
    throw new UsageError('give --budget K (a number of rows) or --fraction F (of the rows)');
  }
  return {
    kind: 'select',
    args: {
      input,
      labels: nonEmpty('--labels', values.labels),
      budget,
      fraction,
      metric: oneOf('--metric', values.metric, METRICS, DEFAULTS.metric),
      optimizer: method?.optimizer ?? oneOf('--optimizer', values.optimizer, OPTIMIZERS, DEFAULTS.optimizer),
      seed: values.seed === undefined ? DEFAULTS.seed : parseSeed(values.seed),
      epsilon: stochasticEpsilon(values, method?.method),
      memoryBudget: values['memory-budget'] === undefined
        ? DEFAULTS.memoryBudget : parseBytes('--memory-budget', values['memory-budget']),
      partitionSize: values['partition-size'] === undefined
        ? DEFAULTS.partitionSize
        : parseInRange('--partition-size', values['partition-size'], 'an integer of at least 2', (v) => Number.isSafeInteger(v) && v >= 2),
      oversampling: values.oversampling === undefined
        ? DEFAULTS.oversampling : parseInRange('--oversampling', values.oversampling, 'a number of at least 1', (v) => v >= 1),
      threads: values.threads === undefined
        ? DEFAULTS.threads : parseInRange('--threads', values.threads, 'an integer from 1 to 256', (v) => Number.isInteger(v) && v >= 1 && v <= 256),
      scale: values.scale === undefined ? undefined : parseScale(values.scale),
      maxInputBytes: values['max-input-bytes'] === undefined
        ? DEFAULT_MAX_INPUT_BYTES : parseBytes('--max-input-bytes', values['max-input-bytes']),
      out: nonEmpty('--out', values.out),
      quiet: values.quiet ?? false,
      method,
    },
  };
}

type SelectValues = { [K in keyof typeof SELECT_OPTIONS]?: (typeof SELECT_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

const ADACORE_FLAGS = ['hessian-power', 'precondition-epsilon', 'beta', 'preconditioning'] as const;

/** --method and its flags, checked together; undefined for the plain selection of --input's rows. */
function parseMethod(values: SelectValues, seen: Set<string>): MethodArgs | undefined {
  if (values.input !== undefined && values.logits !== undefined) {
    throw new UsageError('give either --input (rows to select as given) or --logits (model outputs), not both');
  }
  const method = values.method === undefined
    ? (values.logits === undefined ? undefined : 'adacore')
    : oneOf('--method', values.method, SELECTION_METHODS, 'adacore');
  if (method === undefined) {
    const stray = ADACORE_FLAGS.find((flag) => seen.has(flag));
    if (stray !== undefined) throw new UsageError(`--${stray} applies only to --method adacore`);
    return undefined;
  }
  if (method !== 'adacore') {
    const stray = ADACORE_FLAGS.find((flag) => seen.has(flag));
    if (stray !== undefined) throw new UsageError(`--${stray} applies only to --method adacore, not ${method}`);
  }
  const source = values.logits === undefined ? 'input' : 'logits';
  if (method === 'adacore' && source === 'input') {
    throw new UsageError(
      '--method adacore needs --logits FILE (the Hessian diagonals come from the model outputs), not --input',
    );
  }
  if (source === 'logits' && values.labels === undefined) {
    throw new UsageError('--logits needs --labels FILE (the class of each row, 0..classes-1)');
  }
  const optimizer = oneOf('--optimizer', values.optimizer, OPTIMIZERS, SELECTOR_OPTIMIZER);
  const greedyEpsilon = stochasticEpsilonFlag(values, method);
  if (greedyEpsilon !== undefined && optimizer !== 'stochastic') {
    throw new UsageError(
      `${greedyEpsilon.flag} is stochastic greedy's epsilon and applies only with --optimizer stochastic ` +
        `(the optimizer is ${optimizer}); AdaCore's preconditioner epsilon is --epsilon with --method adacore, ` +
        'or --precondition-epsilon',
    );
  }
  if (method === 'adacore' && values.epsilon !== undefined && values['precondition-epsilon'] !== undefined) {
    throw new UsageError('with --method adacore, --epsilon and --precondition-epsilon are the same knob: give one');
  }
  const preconditionEpsilon = method === 'adacore' ? values['precondition-epsilon'] ?? values.epsilon : undefined;
  const preconditionFlag = values['precondition-epsilon'] !== undefined ? '--precondition-epsilon' : '--epsilon';
  const adacore = method !== 'adacore' ? undefined : {
    hessianPower: values['hessian-power'] === undefined
      ? ADACORE_DEFAULTS.hessianPower : parseInRange('--hessian-power', values['hessian-power'], 'a number in [0, 1]', (v) => v >= 0 && v <= 1),
    preconditionEpsilon: preconditionEpsilon === undefined
      ? ADACORE_DEFAULTS.preconditionEpsilon
      : parseInRange(preconditionFlag, preconditionEpsilon, 'a positive number, e.g. 1e-4', (v) => v > 0),
    beta: values.beta === undefined
      ? ADACORE_DEFAULTS.beta : parseInRange('--beta', values.beta, 'a number in [0, 1)', (v) => v >= 0 && v < 1),
    preconditioning: oneOf('--preconditioning', values.preconditioning, PRECONDITIONINGS, ADACORE_DEFAULTS.preconditioning),
  };
  return { method, source, adacore, optimizer };
}

function parseInRange(flag: string, text: string, expected: string, ok: (value: number) => boolean): number {
  const value = parseDecimal(flag, text, expected);
  if (!ok(value)) throw new UsageError(`${flag}: expected ${expected}, got ${text}`);
  return value;
}

/** parseArgs' messages, shortened to one line that names the flag. */
function parseArgsMessage(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const message = String(err.message ?? e);
  const name = /'([^']*)'/.exec(message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name ?? message} (see adacore select --help)`;
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

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag}: expected a file name, got an empty string`);
  return value;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: unknown value ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}`);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite decimal number spelling the whole string ("10x", "", "0x10" and "Infinity" are not). */
export function parseDecimal(flag: string, text: string, expected: string): number {
  const s = text.trim();
  const value = DECIMAL.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(value)) throw new UsageError(`${flag}: expected ${expected}, got ${JSON.stringify(text)}`);
  return value;
}

function parseBudget(text: string): number {
  const expected = 'a positive integer (a number of rows)';
  const value = parseDecimal('--budget', text, expected);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--budget: expected ${expected}, got ${text}`);
  return value;
}

function parseFraction(text: string): number {
  const expected = 'a number in (0, 1]';
  const value = parseDecimal('--fraction', text, expected);
  if (!(value > 0 && value <= 1)) throw new UsageError(`--fraction: expected ${expected}, got ${text}`);
  return value;
}

function parseSeed(text: string): number {
  const expected = 'an integer in [0, 2^32)';
  const value = parseDecimal('--seed', text, expected);
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** 32) throw new UsageError(`--seed: expected ${expected}, got ${text}`);
  return value;
}

/**
 * The flag that gives stochastic greedy's epsilon, if any: --stochastic-epsilon, or --epsilon
 * except with --method adacore, where --epsilon is AdaCore's (issue 3's CLI). Both at once is
 * an error.
 */
function stochasticEpsilonFlag(values: SelectValues, method: SelectionMethod | undefined): { flag: string; text: string } | undefined {
  const explicit = values['stochastic-epsilon'];
  if (method !== 'adacore' && explicit !== undefined && values.epsilon !== undefined) {
    throw new UsageError('--epsilon and --stochastic-epsilon are the same knob here: give one');
  }
  if (explicit !== undefined) return { flag: '--stochastic-epsilon', text: explicit };
  if (method !== 'adacore' && values.epsilon !== undefined) return { flag: '--epsilon', text: values.epsilon };
  return undefined;
}

function stochasticEpsilon(values: SelectValues, method: SelectionMethod | undefined): number {
  const given = stochasticEpsilonFlag(values, method);
  if (given === undefined) return DEFAULTS.epsilon;
  const expected = 'a number in (0, 1)';
  const value = parseDecimal(given.flag, given.text, expected);
  if (!(value > 0 && value < 1)) throw new UsageError(`${given.flag}: expected ${expected}, got ${given.text}`);
  return value;
}

function parseScale(text: string): number {
  const expected = 'a positive number, e.g. 0.00392156862745098 for 1/255';
  const value = parseDecimal('--scale', text, expected);
  if (!(value > 0)) throw new UsageError(`--scale: expected ${expected}, got ${text}`);
  return value;
}

const BYTE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** A byte count: a non-negative number with an optional K/M/G/T suffix (KB, KiB, ... also accepted). */
export function parseBytes(flag: string, text: string): number {
  const expected = 'a number of bytes, optionally with a suffix K, M, G or T (e.g. 512M)';
  const m = /^\s*(\S+?)\s*(?:([kmgt])(?:i?b)?|b)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`${flag}: expected ${expected}, got ${JSON.stringify(text)}`);
  const value = parseDecimal(flag, m[1], expected) * BYTE_UNITS[(m[2] ?? '').toLowerCase()];
  if (!(value >= 0) || !Number.isFinite(value)) throw new UsageError(`${flag}: expected ${expected}, got ${text}`);
  return Math.floor(value);
}
