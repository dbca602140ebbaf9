// The `adacore` command line. run(argv) does everything and returns the exit status;
// bin/adacore.mjs calls it. Errors are one line on stderr: "adacore: <message>".
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { softmaxCrossEntropyFromLogits } from '../adacore/closed-form.js';
import { createSelector } from '../adacore/create-selector.js';
import type { GradientBatch, Selection } from '../adacore/types.js';
import { AdacoreError } from '../errors.js';
import type { Matrix } from '../io/types.js';
import type { Progress } from '../select/options.js';
import { selectCoreset } from '../select/select-coreset.js';
import { MAIN_USAGE, UsageError, parseCommand, type MethodArgs, type SelectArgs } from './args.js';
import { loadData } from './load.js';
import { checkOutputPath, coresetJson, writeFileAtomic, writeStdout } from './output.js';
import { progressDisplay } from './progress.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

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
  }
}

async function runSelect(args: SelectArgs): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => {
    // A second Ctrl-C while the first is being handled exits at once.
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const showBar = !args.quiet && process.stderr.isTTY === true;
  const progress = progressDisplay(showBar ? process.stderr : undefined);
  try {
    if (args.out !== undefined) await checkOutputPath(args.out);
    const data = await loadData(args, controller.signal);
    controller.signal.throwIfAborted();
    const { matrix, labels } = data;
    const coreset = args.method === undefined
      ? await selectCoreset(matrix.data, {
        dim: matrix.dim,
        labels,
        budget: args.budget,
        fraction: args.fraction,
        metric: args.metric,
        optimizer: args.optimizer,
        seed: args.seed,
        epsilon: args.epsilon,
        memoryBudget: args.memoryBudget,
        partitionSize: args.partitionSize,
        oversampling: args.oversampling,
        threads: args.threads,
        signal: controller.signal,
        onProgress: progress.onProgress,
      })
      : await selectByMethod(args, args.method, matrix, labels, controller.signal, progress.onProgress);
    progress.stop();
    controller.signal.throwIfAborted();
    const version = await packageVersion();
    const json = coresetJson(coreset, { args, rows: matrix.rows, dim: matrix.dim, labelsSource: data.labelsSource, version });
    if (args.out !== undefined) await writeFileAtomic(args.out, json);
    else await writeStdout(json);
    if (!args.quiet) {
      const classes = labels === undefined ? '' : ` in ${new Set(labels).size} classes`;
      const by = args.method === undefined ? '' : ` by ${args.method.method}`;
      process.stderr.write(
        `selected ${coreset.indices.length} of ${matrix.rows} rows${classes}${by} ` +
          `(path ${coreset.path}, ${coreset.seconds.toFixed(2)} s), ` +
          `wrote ${args.out ?? 'JSON to stdout'}\n`,
      );
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

/** One round of the method's selector on the gradients of --logits (or the rows of --input). */
async function selectByMethod(
  args: SelectArgs, method: MethodArgs, matrix: Matrix, labels: Int32Array | undefined,
  signal: AbortSignal, onProgress: ((progress: Progress) => void) | undefined,
): Promise<Selection> {
  const batch: GradientBatch = method.source === 'logits'
    ? softmaxCrossEntropyFromLogits(matrix.data, matrix.rows, matrix.dim, labels!)
    : { gradients: matrix.data instanceof Float32Array ? matrix.data : Float32Array.from(matrix.data), rows: matrix.rows, dim: matrix.dim };
  const selector = createSelector(method.method, {
    metric: args.metric,
    optimizer: args.optimizer,
    seed: args.seed,
    // parseCommand allows --epsilon with --method only for stochastic greedy
    epsilon: args.optimizer === 'stochastic' ? args.epsilon : undefined,
    memoryBudget: args.memoryBudget,
    partitionSize: args.partitionSize,
    oversampling: args.oversampling,
    threads: args.threads,
    signal,
    onProgress,
    // the JSON reports a cost for every method
    measureCost: true,
    ...method.adacore,
  });
  return selector.select(batch, { labels, budget: args.budget, fraction: args.fraction });
}

/** Print one line for the error and return its exit status. */
function reportError(e: unknown, args: SelectArgs | undefined): number {
  let message: string;
  let status = EXIT_ERROR;
  if (e instanceof UsageError) {
    message = e.message;
    status = EXIT_USAGE;
  } else if (e instanceof AdacoreError) {
    const prefix = `${e.argument}: `;
    const problem = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    // The readers speak of their option maxBytes; the CLI's flag for it is --max-input-bytes.
    message = `${argumentName(e.argument, args)}: ${problem.replace(/\bmaxBytes\b/g, '--max-input-bytes')}`;
  } else {
    message = e instanceof Error ? e.message || e.name : String(e);
    if (process.env.ADACORE_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  }
  process.stderr.write(`adacore: ${oneLine(message)}\n`);
  return status;
}

/** The library names options as in selectCoreset's options; say what the user typed instead. */
function argumentName(argument: string, args: SelectArgs | undefined): string {
  switch (argument) {
    case 'vectors':
    case 'dim':
    case 'logits':
    case 'gradients':
    case 'rows':
    case 'classes':
      return args?.input ?? argument;
    case 'labels':
      return args?.labels ?? args?.input ?? argument;
    case 'budget':
      return args?.budget === undefined && args?.fraction !== undefined ? `--fraction ${args.fraction}` : '--budget';
    case 'memoryBudget':
      return '--memory-budget';
    case 'hessianPower':
      return '--hessian-power';
    case 'preconditionEpsilon':
      return '--precondition-epsilon';
    case 'beta':
    case 'method':
    case 'preconditioning':
      return `--${argument}`;
    case 'maxBytes':
      return '--max-input-bytes';
    case 'fraction':
    case 'metric':
    case 'optimizer':
    case 'seed':
    case 'epsilon':
      return `--${argument}`;
    default:
      return argument;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

let version: Promise<string> | undefined;

/** The version in the package.json next to dist/ (this file is bundled as dist/cli.mjs). */
export function packageVersion(): Promise<string> {
  version ??= readFile(new URL('../package.json', import.meta.url), 'utf8')
    .then((text) => String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown'))
    .catch(() => 'unknown');
  return version;
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
