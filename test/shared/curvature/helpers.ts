// What the curvature cases are made of: seeded small problems, tfjs autodiff references (grad and
// grad-of-grad), every closed-form source on one problem, a softmax-regression model, checks.
import { close, equal, ok, rejects } from '../assert.ts';
import { gaussian, random } from '../data.ts';
import type { CurvatureBatch, CurvatureCase, Tensor, Tf, TfLib } from './types.ts';

/** A topic file's list of cases and the add(name, run, skip?) that appends to it. */
export function caseList(): { list: CurvatureCase[]; add: (name: string, run: () => Promise<void>, skip?: string) => void } {
  const list: CurvatureCase[] = [];
  const add = (name: string, run: () => Promise<void>, skip?: string) => { list.push({ name, run, skip }); };
  return { list, add };
}

/** use(backend): initBackend([backend]) (webgpu: a fallback adapter allowed), then check tfjs runs on it. */
export function backendSwitch(lib: TfLib): (backend: string) => Promise<void> {
  const tf = lib.getTf();
  return async (backend: string) => {
    const choice = await lib.initBackend([backend], backend === 'webgpu' ? { allowFallbackAdapter: true } : {});
    equal(choice.backend, backend, `initBackend([${backend}])`);
    equal(tf.getBackend(), backend, 'tf.getBackend()');
  };
}

/** Absolute + relative tolerance of float32 tfjs results against float32 autodiff. */
const TOL = 1e-5;

// ---- data -----------------------------------------------------------------------------------

function normals(n: number, seed: number, scale = 1): number[] {
  const next = gaussian(random(seed));
  return Array.from({ length: n }, () => scale * next());
}
function ints(n: number, k: number, seed: number): number[] {
  const next = random(seed);
  return Array.from({ length: n }, () => Math.floor(next() * k));
}
function rowsOf(flat: ArrayLike<number>, columns: number): number[][] {
  return Array.from({ length: flat.length / columns }, (_, i) => Array.from(flat).slice(i * columns, (i + 1) * columns));
}
function softmaxRows(z: number[][]): number[][] {
  return z.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** One small problem every source is tested on. */
export interface Problem {
  rows: number; classes: number; f: number;
  logits: number[][]; labels: number[]; features: number[][];
  binaryLogits: number[]; binaryLabels: number[]; targets: number[][];
}
export function problem(seed: number, rows = 5, classes = 4, f = 3): Problem {
  return {
    rows, classes, f,
    logits: rowsOf(normals(rows * classes, seed, 1.5), classes),
    labels: ints(rows, classes, seed + 1),
    features: rowsOf(normals(rows * f, seed + 2), f),
    binaryLogits: normals(rows, seed + 3, 2),
    binaryLabels: ints(rows, 2, seed + 4),
    targets: rowsOf(normals(rows * classes, seed + 5), classes),
  };
}

// ---- references: tfjs autodiff --------------------------------------------------------------

/** Gradient and exact Hessian diagonal of `loss` (θ -> scalar) at θ0, by tf.grad and grad-of-grad. */
function autodiff(tf: Tf, loss: (theta: Tensor) => Tensor, theta0: number[]): { g: number[]; h: number[] } {
  return tf.tidy(() => {
    const theta = tf.tensor1d(theta0);
    const grad = tf.grad(loss);
    const g = Array.from(grad(theta).dataSync() as Float32Array);
    const h = theta0.map((_, k) => {
      const e = tf.tensor1d(theta0.map((_v, j) => (j === k ? 1 : 0)));
      return (tf.grad((t: Tensor) => tf.sum(tf.mul(grad(t), e)))(theta).dataSync() as Float32Array)[k];
    });
    return { g, h };
  });
}

/** Per-row autodiff references, concatenated row-major. */
export function reference(tf: Tf, rows: number, lossOfRow: (i: number) => (theta: Tensor) => Tensor, thetaOfRow: (i: number) => number[]) {
  const g: number[] = [], h: number[] = [];
  for (let i = 0; i < rows; i++) {
    const r = autodiff(tf, lossOfRow(i), thetaOfRow(i));
    g.push(...r.g);
    h.push(...r.h);
  }
  return { g, h };
}

/** -Σ y log softmax(z) for a constant one-hot y. */
export function crossEntropy(tf: Tf, z: Tensor, label: number, classes: number): Tensor {
  const y = tf.tensor1d(Array.from({ length: classes }, (_, c) => (c === label ? 1 : 0)));
  return tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(tf.reshape(z, [classes])))));
}
/** softplus(z) − y z: binary cross-entropy of the logit z. */
export function binaryCrossEntropy(tf: Tf, z: Tensor, label: number): Tensor {
  return tf.sub(tf.softplus(z), tf.mul(z, label));
}

export function near(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = TOL): void {
  equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    close(actual[i], expected[i], tol, `${what}[${i}]`, tol);
  }
}
export function shape(batch: CurvatureBatch, rows: number, dim: number, what: string): void {
  equal(batch.rows, rows, `${what}: rows`);
  equal(batch.dim, dim, `${what}: dim`);
  equal(batch.gradients.length, rows * dim, `${what}: gradients length`);
  equal(batch.hessianDiagonals.length, rows * dim, `${what}: hessianDiagonals length`);
  ok(batch.gradients instanceof Float32Array && batch.hessianDiagonals instanceof Float32Array, `${what}: Float32Arrays`);
}

/** 'outer' layout index of the 'dense' layout entry (f features, c classes, with bias). */
export function denseToOuter(index: number, f: number, c: number): number {
  if (index < f * c) {
    const j = Math.floor(index / c), k = index % c;
    return k * (f + 1) + j;
  }
  const k = index - f * c;
  return k * (f + 1) + f;
}

// ---- the sources on one problem -------------------------------------------------------------

/** Every closed-form source on `p` with the current backend, results as plain arrays. */
export async function allSources(lib: TfLib, p: Problem): Promise<Record<string, CurvatureBatch>> {
  const probabilities = softmaxRows(p.logits);
  return {
    softmaxLogits: await lib.softmaxCrossEntropy({ logits: p.logits, labels: p.labels }),
    softmaxProbabilities: await lib.softmaxCrossEntropy({ probabilities, labels: p.labels }),
    binaryLogit: await lib.binaryLogistic({ logits: p.binaryLogits, labels: p.binaryLabels }),
    binaryProbabilities: await lib.binaryLogistic({ probabilities: p.binaryLogits.map(sigmoid), labels: p.binaryLabels }),
    binaryFeatures: await lib.binaryLogistic({ logits: p.binaryLogits, labels: p.binaryLabels, features: p.features }),
    squaredLabels: await lib.squaredError({ outputs: p.logits, labels: p.labels }),
    squaredTargets: await lib.squaredError({ outputs: p.logits, targets: p.targets }),
    lastLayerDense: await lib.lastLayer({ features: p.features, logits: p.logits, labels: p.labels }),
    lastLayerOuter: await lib.lastLayer({ features: p.features, logits: p.logits, labels: p.labels, layout: 'outer' }),
    lastLayerNoBias: await lib.lastLayer({ features: p.features, probabilities, labels: p.labels, bias: false }),
  };
}

/** The softmax-regression problem of the autograd cases: params W (f x c), b (c), per-example CE. */
export function softmaxRegression(tf: Tf, p: Problem, seed: number) {
  const W = tf.variable(tf.tensor2d(normals(p.f * p.classes, seed, 0.7), [p.f, p.classes]));
  const b = tf.variable(tf.tensor1d(normals(p.classes, seed + 1, 0.3)));
  const x = tf.tensor2d(p.features);
  const y = tf.tensor1d(p.labels, 'int32');
  const loss = ([w, c]: Tensor[], xi: Tensor, yi: Tensor) =>
    tf.neg(tf.sum(tf.mul(tf.cast(tf.oneHot(yi, p.classes), 'float32'), tf.logSoftmax(tf.add(tf.matMul(xi, w), c)))));
  const logits = () => tf.tidy(() => tf.add(tf.matMul(x, W), b));
  const dispose = () => tf.dispose([W, b, x, y]);
  return { W, b, x, y, loss, logits, dispose };
}

/** Σ|estimate − exact| / Σ|exact| over all entries. */
export function relativeError(estimate: ArrayLike<number>, exact: ArrayLike<number>): number {
  let e = 0, s = 0;
  for (let i = 0; i < exact.length; i++) {
    e += Math.abs(estimate[i] - exact[i]);
    s += Math.abs(exact[i]);
  }
  return e / s;
}

export async function isAdacoreError(lib: TfLib, run: () => Promise<unknown>, argument: string, includes: string[], what: string): Promise<void> {
  const error = await rejects(run, what);
  ok(error instanceof lib.AdacoreError, `${what}: expected an AdacoreError, got ${error?.name}: ${error?.message}`);
  equal((error as Error & { argument?: string }).argument, argument, `${what}: argument of "${error.message}"`);
  for (const text of includes) ok(error.message.includes(text), `${what}: message "${error.message}" should mention "${text}"`);
}
