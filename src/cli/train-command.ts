// `adacore train`: load the data (Fashion-MNIST from Debian's package, or files), train, write
// the run as JSON and, with --chart, its learning curves as an HTML page. tfjs is loaded here
// only (adacore/tf), not by the other commands.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { AdacoreError, readIdxLabels, readIdxMatrix, type Matrix } from '../index.js';
import { loadData } from './load.js';
import { checkOutputPath, writeStdout } from './output.js';
import { FASHION_DIR, parseTrain, trainUsage, type TrainArgs } from './parse-train.js';
import { EXIT_INTERRUPTED, EXIT_OK, reportError } from './report.js';
import { packageVersion } from './version.js';
import { writeFiles, type OutputFile } from './write-files.js';

interface Sets { x: Matrix; y: Int32Array; xTest?: Matrix; yTest?: Int32Array; source: string }

export async function runTrain(argv: string[]): Promise<number> {
  const tfl = await import('../tf.js');
  const args = parseTrain(argv, tfl.TRAIN_OPTIONS);
  if (args === undefined) {
    await writeStdout(trainUsage(tfl.TRAIN_OPTIONS));
    return EXIT_OK;
  }
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  // errors name the flag for every option (given or not) and the file for the data
  const flagOf: Record<string, string> = { model: '--model', hidden: '--hidden' };
  for (const [name, spec] of Object.entries(tfl.TRAIN_OPTIONS)) if (spec.flag !== undefined) flagOf[name] = `--${spec.flag}`;
  const files = { x: args.input ?? FASHION_DIR, y: args.labels ?? FASHION_DIR, xTest: args.testInput ?? FASHION_DIR, yTest: args.testLabels ?? FASHION_DIR };
  const context = { input: args.input ?? FASHION_DIR, labels: args.labels, flagOf: { ...flagOf, ...args.flagOf, ...files } };
  let bar: cliProgress.SingleBar | undefined;
  try {
    if (args.out !== undefined) await checkOutputPath(args.out);
    if (args.chart !== undefined) await checkOutputPath(args.chart, '--chart');
    const sets = keepClasses(await loadSets(args, controller.signal), args.classes);
    await tfl.initBackend();
    const epochs = Number(args.options.epochs ?? tfl.TRAIN_OPTIONS.epochs.default) + Number(args.options.polish ?? 0);
    if (!args.quiet && process.stderr.isTTY) {
      bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'train |{bar}| epoch {value}/{total} | loss {loss} | test {test} | {duration_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic);
      bar.start(epochs, 0, { loss: '-', test: '-' });
    }
    const result = await tfl.train({
      ...args.options, model: args.model, hidden: args.hidden, x: sets.x, y: sets.y, xTest: sets.xTest, yTest: sets.yTest,
      signal: controller.signal,
      callbacks: { onEpochEnd: (p) => bar?.update(Math.round(p.epoch), { loss: p.loss.toFixed(4), test: p.testAccuracy?.toFixed(4) ?? '-' }) },
    });
    bar?.stop();
    bar = undefined;
    const version = await packageVersion();
    const json = `${JSON.stringify({ ...result, options: { ...result.options, data: sets.source, classes: args.classes ?? null }, version }, null, 1)}\n`;
    // the chart and the JSON file together, or neither (write-files.ts)
    const outputs: OutputFile[] = [];
    if (args.chart !== undefined) {
      const label = `${result.options.method} (${result.options.optimizer})`;
      outputs.push({ flag: '--chart', path: args.chart, data: tfl.learningCurveChart([{ label, curve: result.curve, secondsToTarget: result.secondsToTarget }], {
        title: `adacore train: ${args.model} on ${sets.source}`, targetAccuracy: result.options.targetAccuracy as number | undefined,
      }) });
    }
    if (args.out !== undefined) outputs.push({ flag: '--out', path: args.out, data: json });
    await writeFiles(outputs);
    if (args.out === undefined) await writeStdout(json);
    if (!args.quiet) {
      const test = result.finalTestAccuracy === null ? '' : `, test accuracy ${result.finalTestAccuracy.toFixed(4)}`;
      process.stderr.write(`trained ${args.model} on ${sets.x.rows} rows by ${result.options.method}: loss ${result.finalLoss.toFixed(4)}${test} after ${result.steps} steps, ${result.totalSeconds.toFixed(2)} s (selection ${result.selectionSeconds.toFixed(2)} s), wrote ${[args.out ?? 'JSON to stdout', args.chart].filter(Boolean).join(' and ')}\n`);
    }
    return EXIT_OK;
  } catch (e) {
    bar?.stop();
    if (controller.signal.aborted) {
      process.stderr.write('adacore: interrupted; no output written\n');
      return EXIT_INTERRUPTED;
    }
    return reportError(e, context);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function loadSets(args: TrainArgs, signal: AbortSignal): Promise<Sets> {
  if (args.data === 'fashion-mnist') {
    if (!existsSync(join(FASHION_DIR, 'train-images-idx3-ubyte.gz'))) {
      throw new AdacoreError('--data', `Fashion-MNIST is not at ${FASHION_DIR}: install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist), or give --input and --labels`);
    }
    const read = (name: string) => readFile(join(FASHION_DIR, name), { signal });
    const scale = args.scale ?? 1 / 255;
    return {
      x: await readIdxMatrix(await read('train-images-idx3-ubyte.gz'), { scale, source: 'train images' }),
      y: await readIdxLabels(await read('train-labels-idx1-ubyte.gz'), { source: 'train labels' }),
      xTest: await readIdxMatrix(await read('t10k-images-idx3-ubyte.gz'), { scale, source: 'test images' }),
      yTest: await readIdxLabels(await read('t10k-labels-idx1-ubyte.gz'), { source: 'test labels' }),
      source: 'fashion-mnist',
    };
  }
  const train = await loadData({ input: args.input!, labels: args.labels, scale: args.scale, maxInputBytes: args.maxInputBytes }, signal);
  const test = args.testInput === undefined ? undefined
    : await loadData({ input: args.testInput, labels: args.testLabels, scale: args.scale, maxInputBytes: args.maxInputBytes }, signal);
  return { x: train.matrix, y: train.labels!, xTest: test?.matrix, yTest: test?.labels, source: args.input! };
}

/** --classes A,B: the rows of those two classes, labelled 0 (A) and 1 (B). */
function keepClasses(sets: Sets, classes: [number, number] | undefined): Sets {
  if (classes === undefined) return sets;
  const pick = (x: Matrix, y: Int32Array, name: string) => {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === classes[0] || y[i] === classes[1]) rows.push(i);
    if (rows.length === 0) throw new AdacoreError('--classes', `${name} has no rows of classes ${classes.join(' and ')}`);
    const data = new Float32Array(rows.length * x.dim);
    rows.forEach((r, t) => data.set(x.data.subarray(r * x.dim, (r + 1) * x.dim), t * x.dim));
    return { x: { data, rows: rows.length, dim: x.dim }, y: Int32Array.from(rows, (r) => (y[r] === classes[1] ? 1 : 0)) };
  };
  const train = pick(sets.x, sets.y, 'the training set');
  const test = sets.xTest === undefined ? undefined : pick(sets.xTest, sets.yTest!, 'the test set');
  return { ...sets, ...train, xTest: test?.x, yTest: test?.y, source: `${sets.source}, classes ${classes.join(' vs ')}` };
}
