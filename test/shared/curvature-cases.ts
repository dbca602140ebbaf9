// The runtime-neutral cases of the tfjs layer (dist/adacore-tf.mjs): backend selection, the
// closed-form gradient sources against tfjs autodiff (grad and grad-of-grad), autograd + Hutchinson
// against the closed forms, cpu = wasm, webgpu = cpu where an adapter exists, no tensor leaks, bad
// input. Every runner (Node/vitest, Deno, Chromium page and module Worker) passes the bundle's
// namespace to curvatureCases() and runs each case's body unchanged; a case with `skip` set is
// reported as skipped. No node:, Deno. or vitest imports here, and no tfjs types (Deno type-checks
// this file without node_modules): the tfjs namespace is typed loosely.
import { close, equal, fail, ok, rejects, sameArray } from './assert.ts';
import { gaussian, random } from './data.ts';
import { runCases, type CaseResult } from './cases.ts';

// deno-lint-ignore no-explicit-any
type Tf = any;
// deno-lint-ignore no-explicit-any
type Tensor = any;

export interface CurvatureBatch {
  gradients: Float32Array;
  hessianDiagonals: Float32Array;
  rows: number;
  dim: number;
  backend: string;
}
export interface BackendAttempt { name: string; ok: boolean; reason: string; ms: number }
export interface BackendChoice { backend: string; tried: BackendAttempt[] }
export interface WebGPUProbe { available: boolean; fallback: boolean; description: string }
type Input = Record<string, unknown>;

/** The slice of dist/adacore-tf.mjs the cases use. */
export interface TfLib {
  initBackend(order?: readonly string[], options?: Input): Promise<BackendChoice>;
  probeWebGPU(timeoutMs?: number): Promise<WebGPUProbe>;
  getTf(): Tf;
  useTensorFlow(tf: Tf): Tf;
  DEFAULT_BACKEND_ORDER: readonly string[];
  softmaxCrossEntropy(input: Input): Promise<CurvatureBatch>;
  binaryLogistic(input: Input): Promise<CurvatureBatch>;
  squaredError(input: Input): Promise<CurvatureBatch>;
  lastLayer(input: Input): Promise<CurvatureBatch>;
  autogradCurvature(input: Input): Promise<CurvatureBatch>;
  rademacher(length: number, seed: number, stream?: number): Float32Array;
  AdacoreError: abstract new (...args: never[]) => Error;
}

export interface CurvatureCase {
  name: string;
  run: () => Promise<void>;
  /** Set when the case cannot run here (e.g. no WebGPU adapter): the runner reports it skipped. */
  skip?: string;
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
interface Problem {
  rows: number; classes: number; f: number;
  logits: number[][]; labels: number[]; features: number[][];
  binaryLogits: number[]; binaryLabels: number[]; targets: number[][];
}
function problem(seed: number, rows = 5, classes = 4, f = 3): Problem {
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
function reference(tf: Tf, rows: number, lossOfRow: (i: number) => (theta: Tensor) => Tensor, thetaOfRow: (i: number) => number[]) {
  const g: number[] = [], h: number[] = [];
  for (let i = 0; i < rows; i++) {
    const r = autodiff(tf, lossOfRow(i), thetaOfRow(i));
    g.push(...r.g);
    h.push(...r.h);
  }
  return { g, h };
}

/** -Σ y log softmax(z) for a constant one-hot y. */
function crossEntropy(tf: Tf, z: Tensor, label: number, classes: number): Tensor {
  const y = tf.tensor1d(Array.from({ length: classes }, (_, c) => (c === label ? 1 : 0)));
  return tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(tf.reshape(z, [classes])))));
}
/** softplus(z) − y z: binary cross-entropy of the logit z. */
function binaryCrossEntropy(tf: Tf, z: Tensor, label: number): Tensor {
  return tf.sub(tf.softplus(z), tf.mul(z, label));
}

function near(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = TOL): void {
  equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    close(actual[i], expected[i], tol, `${what}[${i}]`, tol);
  }
}
function shape(batch: CurvatureBatch, rows: number, dim: number, what: string): void {
  equal(batch.rows, rows, `${what}: rows`);
  equal(batch.dim, dim, `${what}: dim`);
  equal(batch.gradients.length, rows * dim, `${what}: gradients length`);
  equal(batch.hessianDiagonals.length, rows * dim, `${what}: hessianDiagonals length`);
  ok(batch.gradients instanceof Float32Array && batch.hessianDiagonals instanceof Float32Array, `${what}: Float32Arrays`);
}

/** 'outer' layout index of the 'dense' layout entry (f features, c classes, with bias). */
function denseToOuter(index: number, f: number, c: number): number {
  if (index < f * c) {
    const j = Math.floor(index / c), k = index % c;
    return k * (f + 1) + j;
  }
  const k = index - f * c;
  return k * (f + 1) + f;
}

// ---- the sources on one problem -------------------------------------------------------------

/** Every closed-form source on `p` with the current backend, results as plain arrays. */
async function allSources(lib: TfLib, p: Problem): Promise<Record<string, CurvatureBatch>> {
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
function softmaxRegression(tf: Tf, p: Problem, seed: number) {
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
function relativeError(estimate: ArrayLike<number>, exact: ArrayLike<number>): number {
  let e = 0, s = 0;
  for (let i = 0; i < exact.length; i++) {
    e += Math.abs(estimate[i] - exact[i]);
    s += Math.abs(exact[i]);
  }
  return e / s;
}

async function isAdacoreError(lib: TfLib, run: () => Promise<unknown>, argument: string, includes: string[], what: string): Promise<void> {
  const error = await rejects(run, what);
  ok(error instanceof lib.AdacoreError, `${what}: expected an AdacoreError, got ${error?.name}: ${error?.message}`);
  equal((error as Error & { argument?: string }).argument, argument, `${what}: argument of "${error.message}"`);
  for (const text of includes) ok(error.message.includes(text), `${what}: message "${error.message}" should mention "${text}"`);
}

let hangingBackends = 0;

// ---- the cases ------------------------------------------------------------------------------

export async function curvatureCases(lib: TfLib): Promise<CurvatureCase[]> {
  const list: CurvatureCase[] = [];
  const add = (name: string, run: () => Promise<void>, skip?: string) => list.push({ name, run, skip });
  const tf = lib.getTf();
  const use = async (backend: string) => {
    const choice = await lib.initBackend([backend], backend === 'webgpu' ? { allowFallbackAdapter: true } : {});
    equal(choice.backend, backend, `initBackend([${backend}])`);
    equal(tf.getBackend(), backend, 'tf.getBackend()');
  };

  // 1. Backend selection.
  add('tf: initBackend() takes the first working backend of webgpu, wasm, cpu and says why the others failed', async () => {
    const choice = await lib.initBackend();
    sameArray(lib.DEFAULT_BACKEND_ORDER, ['webgpu', 'wasm', 'cpu'], 'default order');
    const names = choice.tried.map((t) => t.name);
    sameArray(names, lib.DEFAULT_BACKEND_ORDER.slice(0, names.length), 'attempts follow the order');
    const last = choice.tried[choice.tried.length - 1];
    ok(last.ok && last.name === choice.backend, `the last attempt is the chosen backend: ${JSON.stringify(choice)}`);
    for (const t of choice.tried.slice(0, -1)) ok(!t.ok && t.reason.length > 10, `a failed attempt gives its reason: ${JSON.stringify(t)}`);
    ok(choice.backend === 'wasm' || choice.backend === 'webgpu', `wasm or webgpu is chosen where SIMD exists, got ${JSON.stringify(choice)}`);
    equal(tf.getBackend(), choice.backend, 'tf.getBackend()');
    const probe = await lib.probeWebGPU();
    if (!probe.available || probe.fallback) {
      equal(choice.tried[0].name, 'webgpu', 'webgpu is tried first');
      ok(!choice.tried[0].ok, `webgpu is skipped without a hardware adapter (${probe.description})`);
    }
  });
  add('tf: initBackend falls through unknown and failing backends, and throws naming every reason when none works', async () => {
    const fallback = await lib.initBackend(['no-such-backend', 'cpu']);
    equal(fallback.backend, 'cpu', 'backend');
    ok(fallback.tried[0].reason.includes("no backend 'no-such-backend' is registered"), `reason: ${fallback.tried[0].reason}`);
    await isAdacoreError(lib, () => lib.initBackend(['nope-1', 'nope-2']), 'backend', ['nope-1', 'nope-2', 'no tfjs backend'], 'no working backend');
    await isAdacoreError(lib, () => lib.initBackend([]), 'order', ['non-empty'], 'empty order');
    equal(tf.getBackend(), 'cpu', 'the backend is unchanged by a failed initBackend');
  });
  add('tf: a backend that hangs times out, is removed from the registry, and the next one is used', async () => {
    const name = `hanging-${++hangingBackends}`;
    tf.registerBackend(name, () => new Promise(() => {}), 0);
    const started = Date.now();
    const choice = await lib.initBackend([name, 'cpu'], { timeoutMs: 150 });
    equal(choice.backend, 'cpu', 'backend');
    ok(choice.tried[0].reason.includes('timed out after 150 ms'), `reason: ${choice.tried[0].reason}`);
    ok(Date.now() - started < 5000, 'returns soon after the timeout');
    equal(tf.findBackendFactory(name), null, 'the hanging backend is no longer registered');
    const sum = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])));
    equal((await sum.data())[0], 6, 'ops run after the timeout');
    sum.dispose();
  });
  add('tf: useTensorFlow and the tf option take a tfjs namespace and reject anything else', async () => {
    const previous = lib.useTensorFlow(tf);
    equal(previous, undefined, 'no namespace was injected before');
    equal(lib.getTf(), tf, 'getTf() returns the injected namespace');
    const r = await lib.softmaxCrossEntropy({ logits: [[0, 0]], labels: [1], tf });
    near(r.gradients, [0.5, -0.5], 'with the tf option');
    equal(lib.useTensorFlow(null), tf, 'useTensorFlow(null) returns the previous namespace');
    equal(lib.getTf(), tf, 'back to the bundled namespace (the same object here)');
    try {
      lib.useTensorFlow({});
      fail('useTensorFlow({}) should throw');
    } catch (error) {
      ok(error instanceof lib.AdacoreError && (error as Error).message.includes('tfjs namespace'), `useTensorFlow({}): ${error}`);
    }
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits: [[0, 0]], labels: [1], tf: { tidy: 1 } }), 'tf', ['tfjs namespace'], 'tf option');
  });

  // 2. The closed forms against autodiff, and autograd against the closed forms, per backend.
  for (const backend of ['cpu', 'wasm']) {
    add(`[${backend}] softmax cross-entropy, binary logistic and squared error equal tfjs grad and grad-of-grad`, async () => {
      await use(backend);
      const p = problem(101);
      const r = await allSources(lib, p);
      const { rows, classes, f } = p;
      const soft = reference(tf, rows, (i) => (z) => crossEntropy(tf, z, p.labels[i], classes), (i) => p.logits[i]);
      for (const key of ['softmaxLogits', 'softmaxProbabilities']) {
        shape(r[key], rows, classes, key);
        near(r[key].gradients, soft.g, `${key} gradients`);
        near(r[key].hessianDiagonals, soft.h, `${key} Hessian diagonals`);
        equal(r[key].backend, backend, `${key} backend`);
      }
      const bin = reference(tf, rows, (i) => (z) => binaryCrossEntropy(tf, tf.sum(z), p.binaryLabels[i]), (i) => [p.binaryLogits[i]]);
      for (const key of ['binaryLogit', 'binaryProbabilities']) {
        shape(r[key], rows, 1, key);
        near(r[key].gradients, bin.g, `${key} gradients`);
        near(r[key].hessianDiagonals, bin.h, `${key} Hessian diagonals`);
      }
      // Logistic regression z = w·x + b + z_i, differentiated with respect to θ = [w, b] at θ = 0,
      // where the logit is the row's: the closed form at that logit with features x.
      const binFeatures = reference(tf, rows, (i) => (theta) => {
        const xb = tf.tensor1d([...p.features[i], 1]);
        return binaryCrossEntropy(tf, tf.add(tf.sum(tf.mul(theta, xb)), p.binaryLogits[i]), p.binaryLabels[i]);
      }, () => new Array(f + 1).fill(0));
      shape(r.binaryFeatures, rows, f + 1, 'binaryFeatures');
      near(r.binaryFeatures.gradients, binFeatures.g, 'binary logistic with features: gradients');
      near(r.binaryFeatures.hessianDiagonals, binFeatures.h, 'binary logistic with features: Hessian diagonals');
      const sqLabels = reference(tf, rows, (i) => (z) => tf.mul(0.5, tf.sum(tf.square(tf.sub(z, tf.tensor1d(Array.from({ length: classes }, (_, c) => (c === p.labels[i] ? 1 : 0))))))), (i) => p.logits[i]);
      shape(r.squaredLabels, rows, classes, 'squaredLabels');
      near(r.squaredLabels.gradients, sqLabels.g, 'squared error (labels): gradients');
      near(r.squaredLabels.hessianDiagonals, sqLabels.h, 'squared error (labels): Hessian diagonals');
      const sqTargets = reference(tf, rows, (i) => (z) => tf.mul(0.5, tf.sum(tf.square(tf.sub(z, tf.tensor1d(p.targets[i]))))), (i) => p.logits[i]);
      near(r.squaredTargets.gradients, sqTargets.g, 'squared error (targets): gradients');
      near(r.squaredTargets.hessianDiagonals, sqTargets.h, 'squared error (targets): Hessian diagonals');
    });

    add(`[${backend}] lastLayer equals tfjs grad and grad-of-grad in the weights and bias (dense and outer layouts)`, async () => {
      await use(backend);
      const p = problem(202);
      const { rows, classes, f } = p;
      const r = await allSources(lib, p);
      // θ = [W (f x c) row-major, b (c)] at W = 0, b = 0 with the row's logits added: z = hW + b + z_i.
      const ref = reference(tf, rows, (i) => (theta) => {
        const W = tf.reshape(tf.slice(theta, [0], [f * classes]), [f, classes]);
        const b = tf.slice(theta, [f * classes], [classes]);
        const z = tf.add(tf.add(tf.matMul(tf.tensor2d([p.features[i]]), W), b), tf.tensor2d([p.logits[i]]));
        return crossEntropy(tf, z, p.labels[i], classes);
      }, () => new Array(f * classes + classes).fill(0));
      const dim = classes * (f + 1);
      shape(r.lastLayerDense, rows, dim, 'dense');
      near(r.lastLayerDense.gradients, ref.g, 'dense gradients');
      near(r.lastLayerDense.hessianDiagonals, ref.h, 'dense Hessian diagonals');
      shape(r.lastLayerOuter, rows, dim, 'outer');
      const outerG = new Float32Array(rows * dim), outerH = new Float32Array(rows * dim);
      for (let i = 0; i < rows; i++) {
        for (let k = 0; k < dim; k++) {
          outerG[i * dim + denseToOuter(k, f, classes)] = ref.g[i * dim + k];
          outerH[i * dim + denseToOuter(k, f, classes)] = ref.h[i * dim + k];
        }
      }
      near(r.lastLayerOuter.gradients, outerG, 'outer gradients');
      near(r.lastLayerOuter.hessianDiagonals, outerH, 'outer Hessian diagonals');
      shape(r.lastLayerNoBias, rows, classes * f, 'no bias');
      const noBiasG: number[] = [], noBiasH: number[] = [];
      for (let i = 0; i < rows; i++) {
        noBiasG.push(...ref.g.slice(i * dim, i * dim + f * classes));
        noBiasH.push(...ref.h.slice(i * dim, i * dim + f * classes));
      }
      near(r.lastLayerNoBias.gradients, noBiasG, 'no-bias gradients (from probabilities)', 1e-4);
      near(r.lastLayerNoBias.hessianDiagonals, noBiasH, 'no-bias Hessian diagonals (from probabilities)', 1e-4);
    });

    add(`[${backend}] autograd: gradients equal lastLayer; Hutchinson's error shrinks from 1 to 64 probes; seeded`, async () => {
      await use(backend);
      const p = problem(303, 6, 3, 2);
      const model = softmaxRegression(tf, p, 31);
      try {
        const logits = model.logits();
        const exact = await lib.lastLayer({ features: model.x, logits, labels: model.y });
        logits.dispose();
        const input = { loss: model.loss, params: [model.W, model.b], x: model.x, y: model.y };
        const one = await lib.autogradCurvature({ ...input, probes: 1, seed: 5 });
        shape(one, p.rows, exact.dim, 'autograd');
        near(one.gradients, exact.gradients, 'autograd gradients vs lastLayer');
        const many = await lib.autogradCurvature({ ...input, probes: 64, seed: 5, batchSize: 4 });
        near(many.gradients, exact.gradients, 'autograd gradients (64 probes, batches of 4) vs lastLayer');
        const e1 = relativeError(one.hessianDiagonals, exact.hessianDiagonals);
        const e64 = relativeError(many.hessianDiagonals, exact.hessianDiagonals);
        ok(e64 < 0.5 * e1 && e64 < 0.4, `Hutchinson relative error should shrink with probes: 1 probe ${e1.toFixed(3)}, 64 probes ${e64.toFixed(3)}`);
        const again = await lib.autogradCurvature({ ...input, probes: 1, seed: 5, batchSize: 2 });
        sameArray(again.hessianDiagonals, one.hessianDiagonals, 'same seed, other batch size: identical estimate');
        const other = await lib.autogradCurvature({ ...input, probes: 1, seed: 6 });
        ok(Array.from(other.hessianDiagonals).some((v, i) => v !== one.hessianDiagonals[i]), 'another seed gives another estimate');
        const gradOnly = await lib.autogradCurvature({ ...input, probes: 0 });
        near(gradOnly.gradients, exact.gradients, 'probes: 0 gradients');
        ok(gradOnly.hessianDiagonals.every((v) => v === 0), 'probes: 0 leaves the Hessian diagonals zero');
      } finally {
        model.dispose();
      }
    });
  }

  /** Every closed-form source and autograd (on a seeded softmax-regression model) on `backend`. */
  const everySourceOn = async (backend: string, p: Problem, modelSeed: number, hutchinson: { probes: number; seed: number }) => {
    await use(backend);
    const results: Record<string, CurvatureBatch> = await allSources(lib, p);
    const model = softmaxRegression(tf, p, modelSeed);
    try {
      results.autograd = await lib.autogradCurvature({ loss: model.loss, params: [model.W, model.b], x: model.x, y: model.y, ...hutchinson });
    } finally {
      model.dispose();
    }
    return results;
  };

  // 3. Identical results on cpu and wasm.
  add('[cpu = wasm] every source gives the same values on cpu and wasm (within float32 rounding)', async () => {
    const p = problem(404);
    const results: Record<string, Record<string, CurvatureBatch>> = {};
    for (const backend of ['cpu', 'wasm']) results[backend] = await everySourceOn(backend, p, 41, { probes: 2, seed: 9 });
    for (const key of Object.keys(results.cpu)) {
      near(results.wasm[key].gradients, results.cpu[key].gradients, `${key} gradients, wasm vs cpu`);
      near(results.wasm[key].hessianDiagonals, results.cpu[key].hessianDiagonals, `${key} Hessian diagonals, wasm vs cpu`);
    }
  });

  // 4. WebGPU, where an adapter exists (software ones included: correctness only, small sizes).
  const probe = await lib.probeWebGPU();
  add('[webgpu] every source agrees with cpu (small sizes)', async () => {
    const p = problem(505, 4, 3, 2);
    const results: Record<string, Record<string, CurvatureBatch>> = {};
    // Tensors made on webgpu cannot move to another backend synchronously in every runtime
    // (Deno has no canvas for tfjs's readSync): nothing everySourceOn makes outlives it.
    for (const backend of ['cpu', 'webgpu']) results[backend] = await everySourceOn(backend, p, 51, { probes: 1, seed: 3 });
    for (const key of Object.keys(results.cpu)) {
      equal(results.webgpu[key].backend, 'webgpu', `${key} ran on webgpu`);
      near(results.webgpu[key].gradients, results.cpu[key].gradients, `${key} gradients, webgpu vs cpu`, 1e-4);
      near(results.webgpu[key].hessianDiagonals, results.cpu[key].hessianDiagonals, `${key} Hessian diagonals, webgpu vs cpu`, 1e-4);
    }
    await use('cpu');
  }, probe.available ? undefined : `no WebGPU adapter: ${probe.description}`);

  // 5. No tensor leaks.
  add('tf: 20 rounds of every source (and failing calls) leave tf.memory().numTensors flat', async () => {
    await use('wasm');
    const p = problem(606, 5, 3, 2);
    const model = softmaxRegression(tf, p, 61);
    try {
      const round = async () => {
        await allSources(lib, p);
        await lib.autogradCurvature({ loss: model.loss, params: [model.W, model.b], x: model.x, y: model.y, probes: 1, seed: 1 });
        await rejects(() => lib.softmaxCrossEntropy({ logits: [[0, Number.NaN], [0, 0]], labels: [0, 1] }), 'NaN logits');
        await rejects(() => lib.autogradCurvature({ loss: () => tf.ones([2]), params: [model.W], x: model.x, y: model.y }), 'vector loss');
      };
      await round();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) {
        await round();
        equal(tf.memory().numTensors, before, `tensors after round ${i + 1}`);
      }
    } finally {
      model.dispose();
    }
  });

  // 6. Bad input: a clear AdacoreError naming the argument (and the row).
  add('tf: bad input gives an AdacoreError naming the argument and the row', async () => {
    await use('cpu');
    const logits = [[1, 2, 3], [0, 0, 0], [1, 1, 1], [2, 0, 1]];
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits, labels: [0, 1, 2, 3] }), 'labels', ['row 3', 'label 3', '0..2'], 'label outside the classes');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits, labels: [0, 1.5, 2, 0] }), 'labels', ['row 1'], 'fractional label');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits: [[1, 2, 3], [0, Number.NaN, 0], [1, 1, 1], [0, 0, 0]], labels: [0, 1, 2, 0] }),
      'logits', ['row 1', 'NaN'], 'NaN logit');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ probabilities: [[0.2, 0.3, 0.5], [0.5, 0.4, 0.3]], labels: [0, 1] }),
      'probabilities', ['row 1', 'sums to'], 'probabilities that do not sum to 1');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ probabilities: [[0.2, 0.3, 0.5], [1.2, -0.2, 0]], labels: [0, 1] }),
      'probabilities', ['row 1', 'negative'], 'negative probability');
    await isAdacoreError(lib, () => lib.binaryLogistic({ probabilities: [0.5, 1.5], labels: [0, 1] }), 'probabilities', ['row 1'], 'binary probability above 1');
    await isAdacoreError(lib, () => lib.binaryLogistic({ logits: [0.5, 1.5], labels: [0, 2] }), 'labels', ['row 1', 'label 2'], 'binary label 2');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits, labels: [0, 1, 2] }), 'logits',
      ['4 rows', '3 labels', 'does not match'], 'logits rows vs labels');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits: new Float32Array(10), labels: [0, 1, 0] }), 'logits',
      ['not a multiple', 'does not match'], 'flat logits vs labels');
    const zt = tf.zeros([3, 4]);
    try {
      await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits: zt, labels: [0, 1] }), 'logits', ['3 rows', '2 labels'], 'tensor logits vs labels');
      await isAdacoreError(lib, () => lib.squaredError({ outputs: zt, targets: [[1, 2, 3], [1, 2, 3], [1, 2, 3]] }), 'targets',
        ['3 columns', 'outputs have 4', 'does not match'], 'targets vs outputs');
    } finally {
      zt.dispose();
    }
    await isAdacoreError(lib, () => lib.lastLayer({ features: [[1], [2]], logits, labels: [0, 1, 2, 0] }), 'features', ['2 rows', '4 labels'], 'features vs labels');
    await isAdacoreError(lib, () => lib.softmaxCrossEntropy({ logits, probabilities: logits, labels: [0, 1, 2, 0] }), 'probabilities', ['not both'], 'both outputs');
    await isAdacoreError(lib, () => lib.lastLayer({ features: [[1]], logits: [[1, 2]], labels: [0], layout: 'diagonal' }), 'layout', ['dense'], 'unknown layout');
    const p = problem(707, 4, 3, 2);
    const model = softmaxRegression(tf, p, 71);
    const y3 = tf.tensor1d([0, 1, 2], 'int32');
    try {
      const input = { loss: model.loss, params: [model.W, model.b], x: model.x, y: model.y };
      await isAdacoreError(lib, () => lib.autogradCurvature({ ...input, y: y3 }), 'y', ['3 entries', '4 examples'], 'autograd labels vs inputs');
      await isAdacoreError(lib, () => lib.autogradCurvature({ ...input, loss: ([w]: Tensor[], xi: Tensor) => tf.matMul(xi, w) }), 'loss', ['shape [1, 3]', 'scalar'], 'non-scalar loss');
      const unrelated = tf.zeros([2]);
      try {
        await isAdacoreError(lib, () => lib.autogradCurvature({ ...input, params: [unrelated], loss: (_: Tensor[], xi: Tensor, yi: Tensor) => model.loss([model.W, model.b], xi, yi) }),
          'params', ['does not depend'], 'params the loss does not read');
      } finally {
        unrelated.dispose();
      }
      await isAdacoreError(lib, () => lib.autogradCurvature({ ...input, probes: -1 }), 'probes', ['non-negative'], 'negative probes');
      await isAdacoreError(lib, () => lib.autogradCurvature({
        ...input, loss: ([w, c]: Tensor[], xi: Tensor, yi: Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(yi, p.classes), tf.add(tf.matMul(xi, w), c)),
      }), 'loss', ['customGrad'], 'a loss tfjs cannot differentiate twice');
    } finally {
      model.dispose();
      y3.dispose();
    }
  });

  add('tf: rademacher probes are ±1, balanced and reproducible per (seed, stream)', async () => {
    const a = lib.rademacher(10000, 42, 7);
    ok(a.every((v) => v === 1 || v === -1), 'only ±1');
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    ok(Math.abs(mean) < 0.05, `balanced: mean ${mean}`);
    sameArray(lib.rademacher(10000, 42, 7), a, 'same seed and stream');
    ok(lib.rademacher(64, 42, 8).some((v, i) => v !== a[i]), 'another stream differs');
    ok(lib.rademacher(64, 43, 7).some((v, i) => v !== a[i]), 'another seed differs');
  });

  return list;
}

/** Runs every case (skipped ones are reported as such), for the Worker runner. */
export async function runAllCurvature(lib: TfLib, onResult?: (result: CurvatureResult) => void): Promise<CurvatureResult[]> {
  return runCases(await curvatureCases(lib), onResult);
}

export type CurvatureResult = CaseResult;
