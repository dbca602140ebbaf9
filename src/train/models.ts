// The models the trainer trains: binary logistic regression, softmax regression, an MLP, or a
// caller's own tfjs model. Each is a set of variables and a logits function; losses live in
// loss.ts. Initial weights come from the library's seeded generator (not tfjs's), so a seed
// gives the same model on every backend and runtime.
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { mulberry32 } from '../index.js';
import type { TensorFlow } from '../tf/context.js';
import { AdacoreError, ensure } from '../tf/errors.js';

export interface Model {
  readonly kind: 'logistic' | 'softmax' | 'mlp' | 'custom';
  /** Output columns: 1 for binary logistic regression (one logit), else one per class. */
  readonly outputs: number;
  readonly variables: Variable[];
  /** The loss is convex in the variables (logistic and softmax regression). */
  readonly convex: boolean;
  /** A linear model's weights [dim, outputs] and bias [outputs]. */
  readonly linear?: { weights: Variable; bias: Variable };
  logits(x: Tensor2D): Tensor2D;
  /**
   * The logits with `params` in place of `variables` (same order and shapes), for derivatives
   * of derivatives (AdaHessian's Hessian-vector products); absent for a caller's model.
   */
  apply?(params: Tensor[], x: Tensor2D): Tensor2D;
  /** The features the last layer sees (x itself for a linear model): for last-layer selection. */
  features?(x: Tensor2D): Tensor2D;
  dispose(): void;
}

/** A caller's model: a logits function with its variables, or a tfjs LayersModel (its outputs must be logits). */
export type CustomModel =
  | { logits: (x: Tensor2D) => Tensor2D; variables: Variable[] }
  | { predict: (x: Tensor2D) => unknown; trainableWeights: { read(): unknown }[] };

export type ModelSpec = 'logistic' | 'softmax' | 'mlp' | CustomModel;

export interface ModelShape {
  dim: number;
  classes: number;
  /** MLP hidden layer sizes. */
  hidden: number[];
  seed: number;
}

export function buildModel(tf: TensorFlow, spec: ModelSpec, shape: ModelShape): Model {
  if (spec === 'logistic') {
    ensure(shape.classes === 2, 'model', `logistic regression is binary, but the labels have ${shape.classes} classes (use softmax)`);
    return linearModel(tf, 'logistic', shape.dim, 1);
  }
  if (spec === 'softmax') return linearModel(tf, 'softmax', shape.dim, shape.classes);
  if (spec === 'mlp') return mlp(tf, shape);
  return customModel(tf, spec, shape);
}

/** Zero-initialised: the loss is convex, so every start reaches the same optimum. */
function linearModel(tf: TensorFlow, kind: 'logistic' | 'softmax', dim: number, outputs: number): Model {
  // tidy frees the initial values; variables outlive it
  const weights = tf.tidy(() => tf.variable(tf.zeros([dim, outputs]), true, undefined, 'float32'));
  const bias = tf.tidy(() => tf.variable(tf.zeros([outputs]), true, undefined, 'float32'));
  return {
    kind, outputs, convex: true, variables: [weights, bias], linear: { weights, bias },
    logits: (x) => tf.add(tf.matMul(x, weights), bias),
    apply: ([w, b], x) => tf.add(tf.matMul(x, w as Tensor2D), b),
    features: (x) => x,
    dispose: () => { weights.dispose(); bias.dispose(); },
  };
}

/** He-normal weights from a seeded generator, zero biases, ReLU between layers. */
function mlp(tf: TensorFlow, { dim, classes, hidden, seed }: ModelShape): Model {
  ensure(Array.isArray(hidden) && hidden.length > 0 && hidden.every((h) => Number.isInteger(h) && h > 0), 'hidden',
    `expected a list of positive layer sizes, e.g. [100], got ${JSON.stringify(hidden)}`);
  const next = mulberry32(seed);
  const normal = () => {
    const u = 1 - next() / 2 ** 32, v = next() / 2 ** 32;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const sizes = [dim, ...hidden, classes];
  const layers = sizes.slice(1).map((out, l) => {
    const fanIn = sizes[l];
    const scale = Math.sqrt(2 / fanIn);
    const values = Float32Array.from({ length: fanIn * out }, () => scale * normal());
    return tf.tidy(() => ({ weights: tf.variable(tf.tensor2d(values, [fanIn, out])), bias: tf.variable(tf.zeros([out])) }));
  });
  const variables = layers.flatMap((l) => [l.weights, l.bias]);
  // params: [W1, b1, W2, b2, ...], the variables or tensors standing in for them
  const forward = (params: Tensor[], x: Tensor2D, upTo: number): Tensor2D => {
    let h = x;
    for (let l = 0; l < upTo; l++) {
      const z = tf.add(tf.matMul(h, params[2 * l] as Tensor2D), params[2 * l + 1]) as Tensor2D;
      h = l < layers.length - 1 ? tf.relu(z) as Tensor2D : z;
    }
    return h;
  };
  const hiddenOut = (x: Tensor2D): Tensor2D => forward(variables, x, layers.length - 1);
  return {
    kind: 'mlp', outputs: classes, convex: false, variables,
    logits: (x) => forward(variables, x, layers.length),
    apply: (params, x) => forward(params, x, layers.length),
    features: hiddenOut,
    dispose: () => { for (const l of layers) { l.weights.dispose(); l.bias.dispose(); } },
  };
}

function customModel(tf: TensorFlow, spec: CustomModel, { classes }: ModelShape): Model {
  ensure(spec !== null && typeof spec === 'object', 'model', "expected 'logistic', 'softmax', 'mlp' or a model ({ logits, variables } or a tfjs LayersModel)");
  let logits: (x: Tensor2D) => Tensor2D;
  let variables: Variable[];
  if ('logits' in spec && typeof spec.logits === 'function') {
    ensure(Array.isArray(spec.variables) && spec.variables.length > 0, 'model', 'a { logits, variables } model needs its trainable variables (tf.Variable[])');
    logits = spec.logits;
    variables = spec.variables;
  } else if ('predict' in spec && typeof spec.predict === 'function' && Array.isArray(spec.trainableWeights)) {
    const layers = spec as { apply?: (x: Tensor2D, kwargs?: unknown) => unknown; predict: (x: Tensor2D) => unknown };
    // apply() records gradients through the layers; predict() is for inference only
    logits = (x) => (typeof layers.apply === 'function' ? layers.apply(x, { training: true }) : layers.predict(x)) as Tensor2D;
    variables = spec.trainableWeights.map((w) => w.read() as Variable);
  } else {
    throw new AdacoreError('model', "expected 'logistic', 'softmax', 'mlp', { logits, variables } or a tfjs LayersModel");
  }
  // a binary task's model may give one logit (sigmoid) or two (softmax)
  const outputs = classes === 2 && probeOutputs(tf, logits, variables) === 1 ? 1 : classes;
  return { kind: 'custom', outputs, convex: false, variables, logits, dispose: () => {} };
}

/** A binary task's custom model may give one logit or two: ask it. */
function probeOutputs(tf: TensorFlow, logits: (x: Tensor2D) => Tensor2D, variables: Variable[]): number {
  const width = variables[0]?.shape[0] ?? 1;
  return tf.tidy(() => logits(tf.zeros([1, width]) as Tensor2D).shape[1] ?? 1);
}
