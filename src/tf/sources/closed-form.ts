// Gradient sources with exact Hessian diagonals in closed form (docs/algorithms.md, section 2),
// computed with tfjs ops from a model's outputs: softmax cross-entropy, binary logistic and
// squared error with respect to the outputs (logits), and the last layer's weights and bias.
import type { Tensor, TensorFlow } from '../context.js';
import { readyTf } from '../context.js';
import { recoverDeviceLoss } from '../device-loss.js';
import { AdacoreError, ensure } from '../errors.js';
import { runBatches } from './batches.js';
import { batchRows, checkLabels, labelSlice, matrixSource, readLabels, type MatrixSource } from './inputs.js';
import type { CurvatureBatch, LabelsInput, MatrixInput, SourceOptions } from './types.js';

/** Default tolerance on a probability row's sum: |Σ p − 1| ≤ 1e-3. */
export const PROBABILITY_TOLERANCE = 1e-3;

/** The model's outputs for a softmax: exactly one of logits and probabilities. */
export interface SoftmaxOutputs {
  /** rows x classes logits z; p = softmax(z). Every logit must be finite. */
  logits?: MatrixInput;
  /** rows x classes probabilities p (each row in [0, 1], summing to 1 within `tolerance`). */
  probabilities?: MatrixInput;
  /** One integer label per row, in 0..classes-1; the row count. */
  labels: LabelsInput;
  /** |Σ_c p_c − 1| allowed per probability row; default 1e-3. */
  tolerance?: number;
}

export type SoftmaxCrossEntropyInput = SoftmaxOutputs & SourceOptions;

/** What the model gave: which input, its source, the probability rows. */
interface Outputs {
  source: MatrixSource;
  kind: 'logits' | 'probabilities';
  tolerance: number;
}

function outputsOf(tf: TensorFlow, input: { logits?: MatrixInput; probabilities?: MatrixInput; tolerance?: number }, rows: number,
  vector = false): Outputs {
  const hasLogits = input.logits != null, hasProbabilities = input.probabilities != null;
  ensure(hasLogits !== hasProbabilities, hasLogits ? 'probabilities' : 'logits',
    hasLogits ? 'give logits or probabilities, not both' : 'give the model outputs: logits or probabilities');
  const tolerance = input.tolerance ?? PROBABILITY_TOLERANCE;
  ensure(Number.isFinite(tolerance) && tolerance >= 0, 'tolerance', `expected a non-negative number, got ${tolerance}`);
  const kind = hasLogits ? 'logits' : 'probabilities';
  return { source: matrixSource(tf, hasLogits ? input.logits : input.probabilities, kind, rows, { vector }), kind, tolerance };
}

/** Per-row checks of model outputs: [all finite] for logits, [all finite, min, sum] for probabilities. */
function outputChecks(tf: TensorFlow, outputs: Outputs, values: Tensor): Tensor[] {
  const finite = tf.all(tf.isFinite(values), 1);
  if (outputs.kind === 'logits') return [finite];
  return [finite, tf.min(values, 1), tf.sum(values, 1)];
}

/** Throws, naming the row, for a non-finite logit or a row that is not a probability distribution. */
function verifyOutputs(outputs: Outputs, r0: number, checks: ArrayLike<number>[], binary = false): void {
  const [finite, min, sum] = checks;
  for (let i = 0; i < finite.length; i++) {
    const row = r0 + i;
    if (!finite[i]) {
      throw new AdacoreError(outputs.kind, `row ${row} has a NaN or infinite value; every ${outputs.kind === 'logits' ? 'logit' : 'probability'} must be finite`);
    }
    if (outputs.kind !== 'probabilities') continue;
    if (min[i] < 0) throw new AdacoreError('probabilities', `row ${row} has a negative probability (${min[i]}): not a probability distribution`);
    if (binary) {
      if (sum[i] > 1) throw new AdacoreError('probabilities', `row ${row} is ${sum[i]}, more than 1: not a probability`);
    } else if (Math.abs(sum[i] - 1) > outputs.tolerance) {
      throw new AdacoreError('probabilities',
        `row ${row} sums to ${sum[i]}, not 1 (tolerance ${outputs.tolerance}): not a probability distribution`);
    }
  }
}

/**
 * One-hot float32 rows. (tfjs 4.22's wasm OneHot kernel returns all zeros when asked for float32
 * directly, so build int32 and cast.)
 */
function oneHot(tf: TensorFlow, labels: Tensor, classes: number): Tensor {
  return tf.cast(tf.oneHot(labels, classes), 'float32');
}

/** Checks the per-row features are finite. */
function featureCheck(tf: TensorFlow, h: Tensor): Tensor {
  return tf.all(tf.isFinite(h), 1);
}
function verifyFeatures(r0: number, finite: ArrayLike<number>): void {
  for (let i = 0; i < finite.length; i++) {
    if (!finite[i]) throw new AdacoreError('features', `row ${r0 + i} has a NaN or infinite value; every feature must be finite`);
  }
}

/**
 * Softmax cross-entropy with respect to the logits: g = p − y, diag(H) = p ⊙ (1 − p), with
 * p = softmax(z) and y the one-hot label. dim = classes, column c is class c.
 */
export async function softmaxCrossEntropy(input: SoftmaxCrossEntropyInput): Promise<CurvatureBatch> {
  return recoverDeviceLoss('softmaxCrossEntropy', input?.tf, () => softmaxCrossEntropyOnce(input));
}

/** softmaxCrossEntropy itself, once (recoverDeviceLoss runs it again if the WebGPU device is lost). */
async function softmaxCrossEntropyOnce(input: SoftmaxCrossEntropyInput): Promise<CurvatureBatch> {
  ensure(input != null && typeof input === 'object', 'input', 'expected { logits | probabilities, labels }');
  const tf = await readyTf(input.tf);
  const labels = await readLabels(input.labels);
  const rows = labels.length;
  const outputs = outputsOf(tf, input, rows);
  const classes = outputs.source.columns;
  ensure(classes >= 2, outputs.kind, `has ${classes} column; a softmax needs at least 2 classes (use binaryLogistic for one output)`);
  checkLabels(labels, classes, 'labels', `the ${outputs.kind} have ${classes} columns`);
  return runBatches(tf, rows, classes, batchRows(input.batchSize, classes), (r0, r1) => {
    const values = outputs.source.slice(r0, r1);
    const p = outputs.kind === 'logits' ? tf.softmax(values) : values;
    const y = oneHot(tf, labelSlice(tf, labels, r0, r1), classes);
    return {
      gradients: tf.sub(p, y),
      hessianDiagonals: tf.mul(p, tf.sub(1, p)),
      checks: outputChecks(tf, outputs, values),
    };
  }, (r0, _r1, checks) => verifyOutputs(outputs, r0, checks));
}

export interface BinaryLogisticInput extends SourceOptions {
  /** One logit per row (rows, or rows x 1): σ = sigmoid(z). */
  logits?: MatrixInput;
  /** One probability σ in [0, 1] per row (rows, or rows x 1). */
  probabilities?: MatrixInput;
  /** 0 or 1 per row. */
  labels: LabelsInput;
  /**
   * The inputs x of a logistic regression z = wᵀx (+ b), rows x f. Without them the gradient is
   * with respect to the logit (dim 1); with them, with respect to w (and b).
   */
  features?: MatrixInput;
  /** With features: append the bias's entry (x extended by a 1). Default true. */
  bias?: boolean;
}

/**
 * Binary logistic loss (sigmoid cross-entropy). With respect to the logit: g = σ − y,
 * diag(H) = σ(1 − σ) (dim 1). With `features` x, with respect to the weights of z = wᵀx + b:
 * g = (σ − y) [x, 1], diag(H) = σ(1 − σ) [x², 1] (dim f + 1, the bias last; dim f with bias false).
 */
export async function binaryLogistic(input: BinaryLogisticInput): Promise<CurvatureBatch> {
  return recoverDeviceLoss('binaryLogistic', input?.tf, () => binaryLogisticOnce(input));
}

/** binaryLogistic itself, once (recoverDeviceLoss runs it again if the WebGPU device is lost). */
async function binaryLogisticOnce(input: BinaryLogisticInput): Promise<CurvatureBatch> {
  ensure(input != null && typeof input === 'object', 'input', 'expected { logits | probabilities, labels }');
  const tf = await readyTf(input.tf);
  const labels = await readLabels(input.labels);
  const rows = labels.length;
  const outputs = outputsOf(tf, input, rows, true);
  ensure(outputs.source.columns === 1, outputs.kind,
    `has ${outputs.source.columns} columns; binary logistic takes one ${outputs.kind === 'logits' ? 'logit' : 'probability'} per row `
    + '(use softmaxCrossEntropy for several classes)');
  checkLabels(labels, 2, 'labels', 'binary logistic labels are 0 or 1');
  const features = input.features != null ? matrixSource(tf, input.features, 'features', rows) : undefined;
  const bias = input.bias ?? true;
  const dim = features ? features.columns + (bias ? 1 : 0) : 1;
  ensure(dim > 0, 'bias', 'with no features columns and bias false there is nothing to differentiate');
  return runBatches(tf, rows, dim, batchRows(input.batchSize, Math.max(dim, features?.columns ?? 1)), (r0, r1) => {
    const values = outputs.source.slice(r0, r1);
    const sigma = outputs.kind === 'logits' ? tf.sigmoid(values) : values;
    const y = tf.reshape(tf.cast(labelSlice(tf, labels, r0, r1), 'float32'), [r1 - r0, 1]);
    const e = tf.sub(sigma, y);
    const d = tf.mul(sigma, tf.sub(1, sigma));
    const checks = outputChecks(tf, outputs, values);
    if (!features) return { gradients: e, hessianDiagonals: d, checks };
    const x = features.slice(r0, r1);
    checks.push(featureCheck(tf, x));
    const xb = bias ? tf.concat([x, tf.ones([r1 - r0, 1])], 1) : x;
    return { gradients: tf.mul(e, xb), hessianDiagonals: tf.mul(d, tf.square(xb)), checks };
  }, (r0, _r1, checks) => {
    verifyOutputs(outputs, r0, checks, true);
    if (features) verifyFeatures(r0, checks[checks.length - 1]);
  });
}

export interface SquaredErrorInput extends SourceOptions {
  /** The model's outputs z, rows x k (rank 1: k = 1). */
  outputs: MatrixInput;
  /** Class labels: y = the one-hot label over the k output columns. Give labels or targets. */
  labels?: LabelsInput;
  /** Real targets y, the outputs' shape. */
  targets?: MatrixInput;
  /** The outputs' column count: needed only for flat array outputs given with targets. */
  columns?: number;
}

/** Squared error ½‖z − y‖² with respect to the outputs: g = z − y, diag(H) = 1. dim = k. */
export async function squaredError(input: SquaredErrorInput): Promise<CurvatureBatch> {
  return recoverDeviceLoss('squaredError', input?.tf, () => squaredErrorOnce(input));
}

/** squaredError itself, once (recoverDeviceLoss runs it again if the WebGPU device is lost). */
async function squaredErrorOnce(input: SquaredErrorInput): Promise<CurvatureBatch> {
  ensure(input != null && typeof input === 'object', 'input', 'expected { outputs, labels | targets }');
  const tf = await readyTf(input.tf);
  ensure((input.labels != null) !== (input.targets != null), input.labels != null ? 'targets' : 'labels',
    input.labels != null ? 'give labels or targets, not both' : 'give the labels (one-hot targets) or the real targets');
  let rows: number | undefined;
  let labels: ArrayLike<number> | undefined;
  if (input.labels != null) {
    labels = await readLabels(input.labels);
    rows = labels.length;
  }
  const outputs = matrixSource(tf, input.outputs, 'outputs', rows, { vector: true, columns: input.columns });
  rows = outputs.rows;
  const k = outputs.columns;
  let targets: MatrixSource | undefined;
  if (labels) checkLabels(labels, k, 'labels', `the outputs have ${k} columns`);
  else {
    targets = matrixSource(tf, input.targets, 'targets', rows, { vector: true, rowsFrom: 'output rows' });
    ensure(targets.columns === k, 'targets',
      `has ${targets.columns} columns but the outputs have ${k}: the model output does not match the targets`);
  }
  return runBatches(tf, rows, k, batchRows(input.batchSize, k), (r0, r1) => {
    const z = outputs.slice(r0, r1);
    const y = labels ? oneHot(tf, labelSlice(tf, labels, r0, r1), k) : targets!.slice(r0, r1);
    return {
      gradients: tf.sub(z, y),
      hessianDiagonals: tf.onesLike(z),
      checks: [tf.all(tf.isFinite(z), 1), tf.all(tf.isFinite(y), 1)],
    };
  }, (r0, _r1, [zFinite, yFinite]) => {
    for (let i = 0; i < zFinite.length; i++) {
      if (!zFinite[i]) throw new AdacoreError('outputs', `row ${r0 + i} has a NaN or infinite value; every output must be finite`);
      if (!yFinite[i]) throw new AdacoreError('targets', `row ${r0 + i} has a NaN or infinite value; every target must be finite`);
    }
  });
}

/** How lastLayer lays out one row's dim = classes x (f + 1) entries. */
export type LastLayerLayout = 'dense' | 'outer';
export const LAST_LAYER_LAYOUTS: readonly LastLayerLayout[] = ['dense', 'outer'];

export interface LastLayerInput extends SoftmaxOutputs, SourceOptions {
  /** The penultimate features h (the last layer's inputs), rows x f. */
  features: MatrixInput;
  /** Include the bias's entries. Default true. */
  bias?: boolean;
  /**
   * 'dense' (default): a tfjs Dense layer's weights in order, kernel [f, classes] row-major
   * (entry j * classes + c is W[j][c]) then bias [classes] (entry f * classes + c).
   * 'outer': (p − y) ⊗ [h, 1] row-major, class by class: entry c * (f + 1) + j, with j = f the bias.
   */
  layout?: LastLayerLayout;
}

/**
 * Softmax cross-entropy with respect to the last layer's weights and bias, z = hW + b:
 * g = (p − y) ⊗ [h, 1], diag(H) = (p ⊙ (1 − p)) ⊗ [h², 1], dim = classes x (f + 1)
 * (classes x f with bias false), in the order `layout` documents.
 */
export async function lastLayer(input: LastLayerInput): Promise<CurvatureBatch> {
  return recoverDeviceLoss('lastLayer', input?.tf, () => lastLayerOnce(input));
}

/** lastLayer itself, once (recoverDeviceLoss runs it again if the WebGPU device is lost). */
async function lastLayerOnce(input: LastLayerInput): Promise<CurvatureBatch> {
  ensure(input != null && typeof input === 'object', 'input', 'expected { features, logits | probabilities, labels }');
  const tf = await readyTf(input.tf);
  const layout = input.layout ?? 'dense';
  ensure(LAST_LAYER_LAYOUTS.includes(layout), 'layout', `expected one of ${LAST_LAYER_LAYOUTS.join(', ')}, got ${String(layout)}`);
  const bias = input.bias ?? true;
  const labels = await readLabels(input.labels);
  const rows = labels.length;
  const outputs = outputsOf(tf, input, rows);
  const classes = outputs.source.columns;
  ensure(classes >= 2, outputs.kind, `has ${classes} column; a softmax needs at least 2 classes`);
  checkLabels(labels, classes, 'labels', `the ${outputs.kind} have ${classes} columns`);
  const features = matrixSource(tf, input.features, 'features', rows);
  const f = features.columns;
  const width = f + (bias ? 1 : 0);
  const dim = classes * width;
  return runBatches(tf, rows, dim, batchRows(input.batchSize, dim), (r0, r1) => {
    const n = r1 - r0;
    const values = outputs.source.slice(r0, r1);
    const p = outputs.kind === 'logits' ? tf.softmax(values) : values;
    const y = oneHot(tf, labelSlice(tf, labels, r0, r1), classes);
    const e = tf.sub(p, y);
    const d = tf.mul(p, tf.sub(1, p));
    const h = features.slice(r0, r1);
    const checks = [...outputChecks(tf, outputs, values), featureCheck(tf, h)];
    if (layout === 'outer') {
      const hb = bias ? tf.concat([h, tf.ones([n, 1])], 1) : h;
      return {
        gradients: tf.reshape(tf.mul(tf.expandDims(e, 2), tf.expandDims(hb, 1)), [n, dim]),
        hessianDiagonals: tf.reshape(tf.mul(tf.expandDims(d, 2), tf.expandDims(tf.square(hb), 1)), [n, dim]),
        checks,
      };
    }
    const kernelG = tf.reshape(tf.mul(tf.expandDims(h, 2), tf.expandDims(e, 1)), [n, f * classes]);
    const kernelH = tf.reshape(tf.mul(tf.expandDims(tf.square(h), 2), tf.expandDims(d, 1)), [n, f * classes]);
    return {
      gradients: bias ? tf.concat([kernelG, e], 1) : kernelG,
      hessianDiagonals: bias ? tf.concat([kernelH, d], 1) : kernelH,
      checks,
    };
  }, (r0, _r1, checks) => {
    verifyOutputs(outputs, r0, checks.slice(0, -1));
    verifyFeatures(r0, checks[checks.length - 1]);
  });
}
