// `adacore select`'s command line: the flags' syntax is read here (node:util parseArgs,
// strict; numbers as whole decimal strings), which flags go together is checked here, and
// every value's domain is left to the library's own resolvers, called before any data is read,
// so that the CLI and the library can never disagree. Their errors name the flag the user typed.
import { resolve } from 'node:path';
import {
  AdacoreError, BUDGET_OPTIONS, METHOD_OPTION, OptionError, checkOption, resolveAdaCoreOptions, resolveDeclared, resolveOptions,
  resolveSelectorOptions, type ResolvedAdaCoreOptions, type ResolvedOptions, type SelectionMethod,
} from '../index.js';
import { ADACORE_FLAGS, SELECT_FLAGS, parseFlags, type Flag } from './flags.js';
import { parseBytes, parseDecimal } from './numbers.js';
import { UsageError } from './usage-error.js';
import { parseDistributed, type DistributedArgs } from './parse-distributed.js';

export const DEFAULT_MAX_INPUT_BYTES = 2 * 1024 ** 3;

/** Selection by method on per-example gradients (--method, or --logits). */
export interface MethodArgs {
  method: SelectionMethod;
  /** 'logits': `input` holds model outputs (softmax cross-entropy gradients); 'input': its rows are the gradients. */
  source: 'logits' | 'input';
  /** AdaCore's knobs, resolved: set for --method adacore only. */
  adacore: ResolvedAdaCoreOptions | undefined;
}

export interface SelectArgs {
  /** The data file read: --input, or --logits (then `method.source` is 'logits'). */
  input: string;
  labels: string | undefined;
  budget: number | undefined;
  fraction: number | undefined;
  /** The selection options as the library resolved them (defaults filled in). */
  engine: Omit<ResolvedOptions, 'signal' | 'onProgress'>;
  /** Whether stochastic greedy's epsilon was given (a selector refuses it with another optimizer). */
  epsilonGiven: boolean;
  /** IDX only; undefined when not given (then 1). */
  scale: number | undefined;
  maxInputBytes: number;
  out: string | undefined;
  quiet: boolean;
  /** Undefined without --method and --logits: the rows of --input are selected as given. */
  method: MethodArgs | undefined;
  /** The flag that gave each library option (for errors the library raises later). */
  flagOf: Record<string, string>;
  /** Set with --distributed: the run goes to `adacore worker`s through Redis. */
  distributed?: DistributedArgs;
}

type Values = Record<string, string | boolean | undefined>;

/** Parse `adacore select`'s arguments; undefined when --help was asked for. */
export function parseSelect(argv: string[]): SelectArgs | undefined {
  const args = parseSelection(argv, SELECT_FLAGS, 'select')?.args;
  if (args !== undefined) {
    const inputFlag = args.method?.source === 'logits' ? '--logits' : '--input';
    refuseOverwrite([['--out', args.out]], [[inputFlag, args.input], ['--labels', args.labels]]);
  }
  return args;
}

/**
 * A usage error when an output names an input file or another output. Fuzzing found
 * `select --input x.npy --out x.npy` succeeding by replacing the data with the JSON (prune
 * checks this in parse-prune.ts).
 */
export function refuseOverwrite(outputs: [string, string | undefined][], inputs: [string, string | undefined][]): void {
  const seen = new Map<string, string>(inputs.filter(([, path]) => path !== undefined).map(([flag, path]) => [resolve(path!), flag]));
  for (const [flag, path] of outputs) {
    if (path === undefined) continue;
    const other = seen.get(resolve(path));
    if (other !== undefined) throw new UsageError(`${flag} ${path} is also ${other}: the output would replace it`);
    seen.set(resolve(path), flag);
  }
}

/**
 * The selection part of a command line read against `flags` (select's, or prune's, which
 * lack --method), with the raw values for the command's own flags; undefined for --help.
 */
export function parseSelection(argv: string[], flags: Flag[], command: string): { args: SelectArgs; values: Values; seen: Set<string> } | undefined {
  const byName = new Map(flags.map((flag) => [flag.name, flag]));
  const { values, seen } = parseFlags(argv, flags, command);
  if (values.help) return undefined;
  const text = (name: string) => values[name] as string | undefined;

  const method = parseMethod(values, seen);
  const distributed = parseDistributed(values, seen, method !== undefined);
  const input = nonEmpty('--input', text('input')) ?? nonEmpty('--logits', text('logits'));
  if (input === undefined) throw new UsageError('--input is required (the data file), or --logits with --method');
  if (seen.has('budget') && seen.has('fraction')) throw new UsageError('give either --budget or --fraction, not both');
  if (!seen.has('budget') && !seen.has('fraction')) throw new UsageError('give --budget K (a number of rows) or --fraction F (of the rows)');

  // each given flag's value, under the library option it sets
  const given: Record<string, unknown> = {};
  const flagOf: Record<string, string> = {};
  for (const name of seen) {
    const flag = byName.get(name)!;
    if (flag.option === undefined) continue;
    // with --method adacore, --epsilon is AdaCore's (its preconditioner's epsilon)
    const option = name === 'epsilon' && method?.method === 'adacore' ? 'preconditionEpsilon' : flag.option.name;
    if (flagOf[option] !== undefined) throw new UsageError(`${flagOf[option]} and --${name} are the same knob here: give one`);
    given[option] = parseValue(flag, text(name)!);
    flagOf[option] = `--${name}`;
  }

  return inFlagTerms(flagOf, () => {
    const { budget, fraction } = resolveDeclared(BUDGET_OPTIONS, given);
    const { signal, onProgress, ...engine } = method === undefined ? resolveOptions(given) : resolveSelectorOptions(given);
    if (method?.method === 'adacore') method.adacore = resolveAdaCoreOptions(given);
    const scale = text('scale') === undefined ? undefined : parseScale(text('scale')!);
    const maxInputBytes = text('max-input-bytes') === undefined ? DEFAULT_MAX_INPUT_BYTES : parseBytes('--max-input-bytes', text('max-input-bytes')!);
    const args: SelectArgs = {
      input, labels: nonEmpty('--labels', text('labels')), budget, fraction, engine, epsilonGiven: given.epsilon !== undefined,
      scale, maxInputBytes, out: nonEmpty('--out', text('out')), quiet: values.quiet === true, method, flagOf,
      ...(distributed === undefined ? {} : { distributed }),
    };
    return { args, values, seen };
  });
}

/** --method and its flags, checked together; undefined for the plain selection of --input's rows. */
function parseMethod(values: Values, seen: Set<string>): MethodArgs | undefined {
  if (values.input !== undefined && values.logits !== undefined) {
    throw new UsageError('give either --input (rows to select as given) or --logits (model outputs), not both');
  }
  const method = values.method === undefined
    ? (values.logits === undefined ? undefined : 'adacore')
    : inFlagTerms({ method: '--method' }, () => checkOption('method', METHOD_OPTION, values.method));
  const stray = ADACORE_FLAGS.find((flag) => seen.has(flag.name));
  if (stray !== undefined && method !== 'adacore') {
    throw new UsageError(`--${stray.name} applies only to --method adacore${method === undefined ? '' : `, not ${method}`}`);
  }
  if (method === undefined) return undefined;
  const source = values.logits === undefined ? 'input' : 'logits';
  if (method === 'adacore' && source === 'input') {
    throw new UsageError('--method adacore needs --logits FILE (the Hessian diagonals come from the model outputs), not --input');
  }
  if (source === 'logits' && values.labels === undefined) {
    throw new UsageError('--logits needs --labels FILE (the class of each row, 0..classes-1)');
  }
  return { method, source, adacore: undefined };
}

/** A flag's value by its kind: syntax only (the library checks the domain). */
function parseValue(flag: Flag, text: string): unknown {
  const expected = flag.option?.spec.expected ?? 'a number';
  switch (flag.kind) {
    case 'number':
    case 'integer': return parseDecimal(`--${flag.name}`, text, expected);
    case 'bytes': return parseBytes(`--${flag.name}`, text);
    default: return text;
  }
}

/**
 * Run `resolve` (the library's resolvers) and report a value it refuses as a usage error that
 * names the flag the user typed, with the library's option names in the message turned into
 * flags too.
 */
function inFlagTerms<T>(flagOf: Record<string, string>, resolve: () => T): T {
  try {
    return resolve();
  } catch (e) {
    if (!(e instanceof OptionError) && !(e instanceof AdacoreError && e.argument in flagOf)) throw e;
    const error = e as AdacoreError;
    throw new UsageError(`${flagOf[error.argument] ?? error.argument}: ${inFlagWords(problemOf(error), flagOf)}`);
  }
}

/** An AdacoreError's message without its "argument: " prefix. */
export function problemOf(error: AdacoreError): string {
  const prefix = `${error.argument}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** Library option names (camelCase ones, and optimizer 'x' quotes) in a message, as the CLI spells them. */
export function inFlagWords(message: string, flagOf: Record<string, string> = {}): string {
  return message
    .replace(/\b(preconditionEpsilon|blockMemory|memoryBudget|partitionSize|sampleSize|hessianPower|maxBytes)\b/g, (name) => flagOf[name] ?? SPELLED[name] ?? `--${kebab(name)}`)
    .replace(/\boptimizer '(\w+)'/g, '--optimizer $1');
}

/** Options whose flag is not their name in kebab case. */
const SPELLED: Record<string, string> = { maxBytes: '--max-input-bytes', memoryBudget: '--max-memory' };

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function parseScale(text: string): number {
  const expected = 'a positive number, e.g. 0.00392156862745098 for 1/255';
  const value = parseDecimal('--scale', text, expected);
  if (!(value > 0)) throw new UsageError(`--scale: expected ${expected}, got ${text}`);
  return value;
}

export function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag}: expected a file name, got an empty string`);
  return value;
}
