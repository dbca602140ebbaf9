// Errors as the CLI prints them: one line, "adacore: <what>: <problem>", naming what the user
// typed (a flag, or the file) rather than the library's argument names.
import { AdacoreError, OptionError } from '../index.js';
import { SELECT_FLAGS } from './flags.js';
import { inFlagWords, problemOf } from './parse-select.js';
import { UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** Library options that have a flag, by option name (from the declarations). */
const FLAG_OF_OPTION = new Map(SELECT_FLAGS.filter((flag) => flag.option !== undefined && flag.name !== 'stochastic-epsilon')
  .map((flag) => [flag.option!.name, `--${flag.name}`]));

/** Arguments the library names that are the data itself: the file they came from. */
const DATA_ARGUMENTS = new Set(['vectors', 'dim', 'logits', 'gradients', 'rows', 'classes']);

/** What a command knows to name the user's inputs in an error (SelectArgs and TrainArgs have it). */
export interface ReportContext {
  input?: string;
  labels?: string;
  budget?: number;
  fraction?: number;
  /** The flag that gave each library option. */
  flagOf: Record<string, string>;
}

/** Print one line for the error and return its exit status. */
export function reportError(e: unknown, args: ReportContext | undefined): number {
  let message: string;
  let status = EXIT_ERROR;
  if (e instanceof UsageError) {
    message = e.message;
    status = EXIT_USAGE;
  } else if (e instanceof AdacoreError) {
    message = `${argumentName(e.argument, args)}: ${inFlagWords(problemOf(e), args?.flagOf)}`;
    // a value outside an option's domain is a usage error, as when parsing caught it
    if (e instanceof OptionError) status = EXIT_USAGE;
  } else {
    message = e instanceof Error ? e.message || e.name : String(e);
    if (process.env.ADACORE_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  }
  process.stderr.write(`adacore: ${oneLine(message)}\n`);
  return status;
}

/** What the user typed for a library argument: the flag that gave it, or the file. */
function argumentName(argument: string, args: ReportContext | undefined): string {
  if (DATA_ARGUMENTS.has(argument)) return args?.input ?? argument;
  if (argument === 'labels') return args?.labels ?? args?.input ?? argument;
  if (argument === 'budget') return args?.budget === undefined && args?.fraction !== undefined ? `--fraction ${args.fraction}` : '--budget';
  if (argument === 'maxBytes') return '--max-input-bytes';
  return args?.flagOf[argument] ?? FLAG_OF_OPTION.get(argument) ?? argument;
}

/**
 * The message on one line. A word over 120 characters (a pasted value, a very long path) keeps
 * its start and end: fuzzing found a 20,000-character --redis value (and long numbers) echoed
 * whole into the error line.
 */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
    .replace(/\S{121,}/g, (word) => `${word.slice(0, 60)}...(${word.length} characters)...${word.slice(-20)}`);
}
