// The `adacore` command line. run(argv) does everything and returns the exit status;
// bin/adacore.mjs calls it. Errors are one line on stderr: "adacore: <message>".
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { MAIN_USAGE, parseCommand } from './args.js';
import { writeStdout } from './output.js';
import { EXIT_OK, EXIT_USAGE, reportError } from './report.js';
import { runPrune } from './prune-command.js';
import { runSelect } from './select-command.js';
import { runTrain } from './train-command.js';
import { runWorker } from './worker-command.js';
import { packageVersion } from './version.js';

export { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from './report.js';
export { packageVersion } from './version.js';

/** Run the CLI with the arguments after the script name; resolves to the exit status. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (e) {
    return reportError(e, undefined);
  }
}

async function dispatch(argv: readonly string[]): Promise<number> {
  const command = parseCommand(argv);
  switch (command.kind) {
    case 'help':
      if (argv.length === 0) {
        // `adacore` alone: the usage is the answer, but the command did nothing.
        process.stderr.write(MAIN_USAGE);
        return EXIT_USAGE;
      }
      await writeStdout(command.text);
      return EXIT_OK;
    case 'version':
      await writeStdout(`${await packageVersion()}\n`);
      return EXIT_OK;
    case 'select':
      return runSelect(command.args);
    case 'prune':
      return runPrune(command.args);
    case 'train':
      return runTrain(command.argv);
    case 'worker':
      return runWorker(command.args);
  }
}

/** Whether this module is the script node was started with (`node dist/cli.mjs ...`). */
function isProcessEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isProcessEntry()) process.exitCode = await run(process.argv.slice(2));
