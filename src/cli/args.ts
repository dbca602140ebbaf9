// The command line's first word: which command, help or version. Each command parses its own
// flags (parse-select.ts). Every problem here is a usage error (exit 2).
import { parsePrune, type PruneArgs } from './parse-prune.js';
import { parseSelect, type SelectArgs } from './parse-select.js';
import { parseWorker, type WorkerArgs } from './parse-distributed.js';
import { MAIN_USAGE, PRUNE_USAGE, SELECT_USAGE, WORKER_USAGE } from './usage.js';
import { UsageError } from './usage-error.js';

export { UsageError } from './usage-error.js';
export { MAIN_USAGE, PRUNE_USAGE, SELECT_USAGE, WORKER_USAGE } from './usage.js';
export type { PruneArgs } from './parse-prune.js';
export type { MethodArgs, SelectArgs } from './parse-select.js';

export type Command =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'select'; args: SelectArgs }
  | { kind: 'prune'; args: PruneArgs }
  | { kind: 'train'; argv: string[] }
  | { kind: 'worker'; args: WorkerArgs };

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
    if (rest.length === 1 && rest[0] === 'prune') return { kind: 'help', text: PRUNE_USAGE };
    if (rest.length === 1 && rest[0] === 'train') return { kind: 'train', argv: ['--help'] };
    if (rest.length === 1 && rest[0] === 'worker') return { kind: 'help', text: WORKER_USAGE };
    throw new UsageError(`no help for ${JSON.stringify(rest.join(' '))}; commands: select, prune, train, worker`);
  }
  if (first === 'select') {
    const args = parseSelect(rest);
    return args === undefined ? { kind: 'help', text: SELECT_USAGE } : { kind: 'select', args };
  }
  if (first === 'prune') {
    const args = parsePrune(rest);
    return args === undefined ? { kind: 'help', text: PRUNE_USAGE } : { kind: 'prune', args };
  }
  if (first === 'train') return { kind: 'train', argv: rest };
  if (first === 'worker') {
    const args = parseWorker(rest);
    return args === undefined ? { kind: 'help', text: WORKER_USAGE } : { kind: 'worker', args };
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (options come after the command: adacore select ...)`);
  throw new UsageError(`unknown command ${JSON.stringify(first)}; commands: select, prune, train, worker (see adacore --help)`);
}
