// train(): a model trained on all rows or on subsets (random, CRAIG, AdaCore), with a learning
// curve of wall time (selection included, evaluation not) against loss and accuracy.
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { readyTf, type TensorFlow } from '../tf/context.js';
import { recoverDeviceLoss } from '../tf/device-loss.js';
import { AdacoreError, ensure } from '../tf/errors.js';
import { classCount, labelledRows, type LabelledRows } from './data.js';
import { evaluate } from './loss.js';
import { buildModel, type Model } from './models.js';
import { resolveTrainOptions, type ResolvedTrainOptions } from './options.js';
import { subsetPolicy, type Subset } from './selection.js';
import { createSolver, DEFAULT_RATES, FULL_BATCH, type RowsInPlay } from './solvers/index.js';
import type { CurvePoint, TrainOptions, TrainResult } from './types.js';

const now = () => performance.now();

/**
 * Trains as the options say. If the WebGPU device is lost during the run, the whole run starts
 * again from its seed on the next backend (src/tf/device-loss.ts): its callbacks then see the
 * epochs again, and the result is that of an uninterrupted run there.
 */
export async function train(input: TrainOptions): Promise<TrainResult> {
  const given = input as Partial<TrainOptions> | undefined;
  return recoverDeviceLoss('train', given?.tf, () => trainOnce(input), given?.signal);
}

async function trainOnce(input: TrainOptions): Promise<TrainResult> {
  ensure(input !== null && typeof input === 'object', 'options', 'expected an object with x, y and the training options');
  const options = resolveTrainOptions(input as Record<string, unknown>);
  const tf = await readyTf(input.tf);
  const data = labelledRows(input.x, input.y, input.dim, 'x', 'y');
  ensure((input.xTest === undefined) === (input.yTest === undefined), input.xTest === undefined ? 'xTest' : 'yTest', 'give xTest and yTest together');
  const test = input.xTest === undefined ? undefined : labelledRows(input.xTest, input.yTest!, data.dim, 'xTest', 'yTest');
  ensure(test === undefined || test.dim === data.dim, 'xTest', `rows of ${test?.dim} values, but x has ${data.dim}`);
  const classes = classCount(data.y, ...(test ? [test.y] : []));
  const spec = input.model ?? 'softmax';
  checkSolverFits(options, typeof spec === 'string' ? spec : 'custom');
  const model = buildModel(tf, spec, { dim: data.dim, classes, hidden: input.hidden ?? [100], seed: options.seed });
  const run = new Run(tf, model, data, test, options, input);
  try {
    return await run.train();
  } finally {
    run.dispose();
    if (typeof spec === 'string') model.dispose();
  }
}

function checkSolverFits(options: ResolvedTrainOptions, model: string): void {
  const needsLinear = FULL_BATCH.has(options.optimizer) || options.optimizer === 'incremental';
  ensure(!needsLinear || model === 'logistic' || model === 'softmax', 'optimizer',
    `${options.optimizer} needs a linear model (logistic or softmax regression), not ${model}`);
}

/** One training run's state: tensors, solver, clock and curve. */
class Run {
  private readonly all: RowsInPlay;
  private readonly testTensors: { x: Tensor2D; labels: Tensor1D } | undefined;
  private subsetRows: RowsInPlay | undefined;
  private readonly curve: CurvePoint[] = [];
  private elapsed = 0;
  private selectionSeconds = 0;
  private steps = 0;
  private started = 0;

  constructor(
    private readonly tf: TensorFlow, private readonly model: Model, private readonly data: LabelledRows,
    test: LabelledRows | undefined, private readonly options: ResolvedTrainOptions, private readonly input: TrainOptions,
  ) {
    this.all = rowsInPlay(tf, data, undefined);
    this.testTensors = test === undefined ? undefined : { x: tf.tensor2d(test.x, [test.rows, test.dim]), labels: tf.tensor1d(test.y, 'int32') };
  }

  async train(): Promise<TrainResult> {
    const { tf, model, options, input } = this;
    this.checkOutputs();
    const learningRate = options.learningRate ?? DEFAULT_RATES[options.optimizer];
    const solver = createSolver(options.optimizer, {
      tf, model, l2: options.l2, learningRate, decay: options.schedule === 'exponential' ? options.decay : 1,
      momentum: options.momentum, batchSize: options.batchSize, seed: options.seed, iterations: options.iterations,
    });
    const subsetMethod = options.method !== 'full';
    const policy = options.method === 'full' ? undefined : subsetPolicy({
      tf, model, data: this.data, x: this.all.x, method: options.method, fraction: options.fraction, every: options.every,
      seed: options.seed, source: options.source, selection: input.selection ?? {}, signal: input.signal,
    });
    try {
      await this.record(0, 'full', this.data.rows);
      this.started = now();
      const epochs = options.epochs + (subsetMethod ? options.polish : 0);
      let previousLoss = this.curve[0].loss;
      for (let epoch = 0; epoch < epochs; epoch++) {
        const phase = !subsetMethod ? 'full' : epoch < options.warmup ? 'warmup' : epoch < options.epochs ? 'subset' : 'polish';
        if (phase === 'subset') await this.choose(policy!, epoch - options.warmup);
        const rows = phase === 'subset' ? this.subsetRows! : this.all;
        if (options.optimizer === 'sgd' || options.optimizer === 'adam' || options.optimizer === 'adahessian') {
          ensure(options.batchSize <= rows.rows, 'batchSize', `${options.batchSize} is more than the ${rows.rows} rows in play (the subset's); lower batchSize or raise fraction`);
        }
        const stepsBefore = this.steps;
        const perEpoch = FULL_BATCH.has(options.optimizer) ? options.iterations
          : options.optimizer === 'incremental' ? rows.rows : Math.ceil(rows.rows / options.batchSize);
        await solver.epoch(rows, epoch, () => {
          this.steps++;
          this.throwIfAborted();
          input.callbacks?.onBatchEnd?.({ epoch, steps: this.steps });
          const every = options.evaluateEvery;
          if (every > 0 && this.steps % every === 0) {
            solver.sync();
            const done = this.steps - stepsBefore;
            return this.record(epoch + Math.min(1, done / perEpoch), phase, rows.rows).then(() => {});
          }
        });
        solver.sync();
        const point = await this.record(epoch + 1, phase, rows.rows);
        await input.callbacks?.onEpochEnd?.(point);
        if (phase === 'polish' && options.polishTolerance > 0 && previousLoss - point.loss < options.polishTolerance * Math.abs(previousLoss)) break;
        previousLoss = point.loss;
      }
    } finally {
      solver.dispose();
      policy?.dispose?.();
    }
    return this.result(learningRate);
  }

  /** A custom model must give one logit per row for a binary task, or one per class. */
  private checkOutputs(): void {
    const { tf, model, data } = this;
    const shape = tf.tidy(() => model.logits(this.all.x.slice([0, 0], [1, data.dim])).shape);
    ensure(shape.length === 2 && shape[1] === model.outputs, 'model',
      `its output has shape [${shape.join(', ')}] for one row; expected [1, ${model.outputs}] (${model.outputs === 1 ? 'one logit for the two classes' : `one logit per class: the labels have ${model.outputs} classes`})`);
  }

  private async choose(policy: ReturnType<typeof subsetPolicy>, epoch: number): Promise<void> {
    const started = now();
    const subset = await policy.next(epoch);
    if (subset === undefined) return;
    this.subsetRows?.x.dispose();
    this.subsetRows?.labels.dispose();
    this.subsetRows?.weights?.dispose();
    this.subsetRows = gatherRows(this.tf, this.data, this.options.weighted ? subset : { ...subset, weights: undefined });
    const seconds = (now() - started) / 1000;
    this.selectionSeconds += seconds;
    this.input.callbacks?.onSelection?.({ epoch, rows: subset.indices.length, seconds });
  }

  /** Evaluate with the clock stopped. */
  private async record(epoch: number, phase: CurvePoint['phase'], rows: number): Promise<CurvePoint> {
    if (this.started > 0) { this.elapsed += now() - this.started; }
    const { tf, model, options } = this;
    const train = await evaluate(tf, model, this.all.x, this.all.labels, options.l2);
    const testAccuracy = this.testTensors === undefined ? null : (await evaluate(tf, model, this.testTensors.x, this.testTensors.labels, options.l2)).accuracy;
    const point: CurvePoint = {
      epoch, steps: this.steps, seconds: this.elapsed / 1000, selectionSeconds: this.selectionSeconds,
      loss: train.loss, accuracy: train.accuracy, testAccuracy, rows, phase,
    };
    if (!Number.isFinite(point.loss)) {
      throw new AdacoreError('learningRate', `the training loss became ${point.loss} at epoch ${Math.ceil(epoch)}: the run diverged; lower the learning rate`);
    }
    this.curve.push(point);
    if (this.started > 0) this.started = now();
    return point;
  }

  private throwIfAborted(): void {
    const signal = this.input.signal;
    if (signal?.aborted) throw signal.reason ?? new DOMException('The training was aborted', 'AbortError');
  }

  private result(learningRate: number): TrainResult {
    const last = this.curve[this.curve.length - 1];
    const target = this.options.targetAccuracy;
    const reached = target === undefined ? undefined : this.curve.find((p) => p.testAccuracy !== null && p.testAccuracy >= target);
    const options: Record<string, unknown> = {
      ...this.options, learningRate, model: typeof this.input.model === 'string' || this.input.model === undefined ? this.input.model ?? 'softmax' : 'custom',
      hidden: this.model.kind === 'mlp' ? this.input.hidden ?? [100] : undefined, rows: this.data.rows, dim: this.data.dim,
    };
    return {
      options, curve: this.curve, finalLoss: last.loss, finalAccuracy: last.accuracy, finalTestAccuracy: last.testAccuracy,
      ...(target === undefined ? {} : { secondsToTarget: reached?.seconds ?? null }),
      selectionSeconds: this.selectionSeconds, totalSeconds: last.seconds, steps: this.steps, backend: this.tf.getBackend(),
    };
  }

  dispose(): void {
    for (const rows of [this.all, this.subsetRows]) { rows?.x.dispose(); rows?.labels.dispose(); rows?.weights?.dispose(); }
    this.testTensors?.x.dispose();
    this.testTensors?.labels.dispose();
  }
}

function rowsInPlay(tf: TensorFlow, data: LabelledRows, weights: Float32Array | undefined): RowsInPlay {
  return {
    x: tf.tensor2d(data.x, [data.rows, data.dim]), labels: tf.tensor1d(data.y, 'int32'),
    weights: weights === undefined ? undefined : tf.tensor1d(weights),
    xArray: data.x, labelArray: data.y, weightArray: weights, rows: data.rows, dim: data.dim,
  };
}

/** The subset's rows as their own arrays and tensors (a solver's steps then touch only them). */
function gatherRows(tf: TensorFlow, data: LabelledRows, { indices, weights }: Subset): RowsInPlay {
  const x = new Float32Array(indices.length * data.dim);
  const y = new Int32Array(indices.length);
  for (let t = 0; t < indices.length; t++) {
    x.set(data.x.subarray(indices[t] * data.dim, (indices[t] + 1) * data.dim), t * data.dim);
    y[t] = data.y[indices[t]];
  }
  return rowsInPlay(tf, { x, y, rows: indices.length, dim: data.dim }, weights === undefined ? undefined : Float32Array.from(weights));
}
