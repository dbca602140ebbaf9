// `adacore select`: read the data, select (plainly, or one round of a method's selector),
// write the JSON. Ctrl-C aborts the selection and writes nothing.
import {
  createSelector, selectCoreset, softmaxCrossEntropyFromLogits, type Coreset, type GradientBatch, type Matrix, type Progress, type Selection,
} from '../index.js';
import { loadData, openStream } from './load.js';
import { checkOutputPath, coresetJson, writeFileAtomic, writeStdout } from './output.js';
import type { MethodArgs, SelectArgs } from './parse-select.js';
import { progressDisplay, stepDisplay } from './progress.js';
import { loadDistributed } from './worker-command.js';
import { EXIT_INTERRUPTED, EXIT_OK, reportError } from './report.js';
import { packageVersion } from './version.js';

export async function runSelect(args: SelectArgs): Promise<number> {
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
    // a .npy larger than half of --max-memory is read a block at a time (plain selection only)
    const streamed = args.method === undefined && args.distributed === undefined ? await openStream(args, controller.signal) : undefined;
    let coreset: Coreset | Selection;
    let data: { matrix: { rows: number; dim: number }; labels: Int32Array | undefined; labelsSource: string | undefined };
    if (streamed !== undefined) {
      try {
        data = { matrix: { rows: streamed.stream.rows, dim: streamed.stream.dim }, labels: streamed.labels, labelsSource: streamed.labelsSource };
        coreset = await selectCoreset(streamed.stream.blocks, {
          ...args.engine, dim: streamed.stream.dim, labels: streamed.labels, budget: args.budget, fraction: args.fraction, signal: controller.signal, onProgress: progress.onProgress,
        });
      } finally {
        await streamed.close();
      }
    } else {
      const loaded = await loadData(args, controller.signal);
      data = loaded;
      controller.signal.throwIfAborted();
      const { matrix, labels } = loaded;
      const run = { labels, budget: args.budget, fraction: args.fraction, signal: controller.signal, onProgress: progress.onProgress };
      coreset = args.distributed !== undefined ? await selectDistributed(args, matrix, run, showBar)
        : args.method === undefined ? await selectCoreset(matrix.data, { ...args.engine, dim: matrix.dim, ...run })
        : await selectByMethod(args, args.method, matrix, run);
    }
    const { matrix, labels } = data;
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
  args: SelectArgs, method: MethodArgs, matrix: Matrix,
  run: { labels: Int32Array | undefined; budget?: number; fraction?: number; signal: AbortSignal; onProgress?: (progress: Progress) => void },
): Promise<Selection> {
  const batch: GradientBatch = method.source === 'logits'
    ? softmaxCrossEntropyFromLogits(matrix.data, matrix.rows, matrix.dim, run.labels!)
    : { gradients: matrix.data instanceof Float32Array ? matrix.data : Float32Array.from(matrix.data), rows: matrix.rows, dim: matrix.dim };
  const selector = createSelector(method.method, {
    ...args.engine,
    // a selector refuses stochastic greedy's epsilon with another optimizer: pass it only if given
    epsilon: args.epsilonGiven ? args.engine.epsilon : undefined,
    signal: run.signal,
    onProgress: run.onProgress,
    // the JSON reports a cost for every method
    measureCost: true,
    ...method.adacore,
  });
  return selector.select(batch, { labels: run.labels, budget: run.budget, fraction: run.fraction });
}

/** --distributed: the rows of --input in hash partitions, as jobs for `adacore worker`s. */
async function selectDistributed(
  args: SelectArgs, matrix: Matrix, run: { labels: Int32Array | undefined; budget?: number; fraction?: number; signal: AbortSignal }, showBar: boolean,
): Promise<Coreset> {
  const { distributedSelect } = await loadDistributed();
  const d = args.distributed!;
  const steps = stepDisplay(showBar ? process.stderr : undefined);
  try {
    return await distributedSelect({
      input: matrix.data, dim: matrix.dim, labels: run.labels, budget: run.budget, fraction: run.fraction,
      metric: args.engine.metric, seed: args.engine.seed, oversampling: args.engine.oversampling, blockMemory: args.engine.blockMemory,
      partitions: d.partitions, store: d.store, connection: d.redis, queue: d.queue, attempts: d.attempts,
      signal: run.signal, onProgress: steps.onStep,
    });
  } finally {
    steps.stop();
  }
}
