// The app's work, done in module Workers (data-worker.js, train-worker.js), never in the page:
// reading data files with the library's readers, a 2-D PCA map, the coreset selection, the
// training recipe, and the files to download. Everything comes from the built library in dist/.
import {
  createSelector, encodeCsv, encodeNpy, formatFromPath, gradientError, labelsToClasses,
  readCsvLabels, readCsvMatrix, readIdx, readIdxLabels, readNpyLabels, readNpyMatrix, selectionErrors, softmaxCrossEntropyFromLogits,
} from '../../dist/adacore.mjs';
import { softmaxLogits, trainSoftmaxRegression } from '../../dist/adacore-tf.mjs';

export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const FASHION = 'fashion-mnist-slice/';

/** The committed Fashion-MNIST slice (2,000 training and 600 test images), fetched from this origin. */
export async function loadBuiltin(base) {
  const get = async (name) => {
    const response = await fetch(new URL(FASHION + name, base));
    if (!response.ok) throw new Error(`could not read ${name} from this site (HTTP ${response.status})`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const [images, labels, testImages, testLabels] = await Promise.all([
    'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz',
  ].map(get));
  const x = await idxRows(images, 'train-images-idx3-ubyte.gz');
  const xt = await idxRows(testImages, 't10k-images-idx3-ubyte.gz');
  return finish({
    name: 'Fashion-MNIST slice', ...x, labels: await readIdxLabels(labels, { source: 'labels' }),
    classNames: FASHION_CLASSES, labelValues: FASHION_CLASSES.map((_, c) => c),
    test: { x: xt.x, labels: await readIdxLabels(testLabels, { source: 'test labels' }) },
  });
}

/**
 * A file the user picked (never sent anywhere: File objects are read here, in the Worker).
 * `labelColumn`: 'none', 'first' or 'last' column of the data file holds the labels.
 */
export async function loadFiles({ file, labelsFile, labelColumn = 'none' }) {
  const format = formatFromPath(file.name);
  if (format === 'libsvm') throw new Error(`${file.name}: LIBSVM files are not supported here; use .npy, CSV or IDX`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let { x, rows, dim } = format === 'npy' ? asMatrix(readNpyMatrix(bytes, { source: file.name }))
    : format === 'csv' ? asMatrix(readCsvMatrix(bytes, { source: file.name })) : await idxRows(bytes, file.name);
  let raw; // label values as read, before they become class ids 0..C-1
  if (labelColumn !== 'none') {
    if (dim < 2) throw new Error(`${file.name}: a label column needs at least two columns; the file has ${dim}`);
    const at = labelColumn === 'first' ? 0 : dim - 1;
    const kept = new x.constructor(rows * (dim - 1));
    raw = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      raw[r] = x[r * dim + at];
      for (let j = 0, k = 0; j < dim; j++) if (j !== at) kept[r * (dim - 1) + k++] = x[r * dim + j];
    }
    x = kept;
    dim -= 1;
  } else if (labelsFile) {
    const labelBytes = new Uint8Array(await labelsFile.arrayBuffer());
    const labelFormat = formatFromPath(labelsFile.name);
    const read = { npy: readNpyLabels, csv: readCsvLabels }[labelFormat];
    raw = Float64Array.from(read ? read(labelBytes, { source: labelsFile.name }) : await readIdxLabels(labelBytes, { source: labelsFile.name }));
  }
  if (raw && raw.length !== rows) throw new Error(`${labelsFile?.name ?? file.name}: ${raw.length} labels for ${rows} rows`);
  let labels, labelValues, classNames;
  if (raw) {
    labels = labelsToClasses(raw, labelsFile?.name ?? `${file.name}, label column`);
    labelValues = Array.from(new Set(raw)).sort((a, b) => a - b);
    classNames = labelValues.map((v) => `class ${v}`);
    if (labelValues.length < 2) labels = labelValues = classNames = undefined; // one class: nothing to tell apart
  }
  return finish({ name: file.name, x, rows, dim, labels, labelValues, classNames });
}

function asMatrix({ data, rows, dim }) {
  return { x: data, rows, dim };
}

/** IDX data as rows; unsigned bytes (MNIST-style images) are scaled to [0, 1]. */
async function idxRows(bytes, source) {
  const { data, shape } = await readIdx(bytes, { source });
  if (shape.length < 2) throw new Error(`${source}: expected IDX data of rows (2-D or more), got shape ${shape.join(' x ')}`);
  const x = Float32Array.from(data);
  if (data instanceof Uint8Array) for (let i = 0; i < x.length; i++) x[i] /= 255;
  return { x, rows: shape[0], dim: shape.slice(1).reduce((a, b) => a * b, 1) };
}

/** Summary fields the page draws with: image side, value range, class sizes. */
function finish(ds) {
  const side = Math.round(Math.sqrt(ds.dim));
  ds.image = side * side === ds.dim && side >= 8 && side <= 64 ? { width: side, height: side } : null;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < ds.x.length; i++) { const v = ds.x[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`${ds.name}: every value must be a finite number`);
  ds.range = [lo, hi];
  ds.classSizes = ds.labels ? Array.from({ length: ds.classNames.length }, () => 0) : undefined;
  if (ds.labels) for (const c of ds.labels) ds.classSizes[c]++;
  return ds;
}

/**
 * The first two principal components (subspace iteration from a fixed start, on at most 8,000
 * evenly spaced rows), and every row projected on them: rows x 2, with the share of variance each
 * explains.
 */
export function pca2(x, rows, dim) {
  const step = Math.max(1, Math.ceil(rows / 8000));
  const sample = [];
  for (let r = 0; r < rows; r += step) sample.push(r);
  const mean = new Float64Array(dim);
  for (const r of sample) for (let j = 0; j < dim; j++) mean[j] += x[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= sample.length;
  let total = 0;
  for (const r of sample) for (let j = 0; j < dim; j++) total += (x[r * dim + j] - mean[j]) ** 2;
  // two start vectors from a fixed generator, then V <- orth(C V) a few dozen times
  let state = 12345;
  const next = () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state / 2 ** 32 - 0.5; };
  let V = [Float64Array.from({ length: dim }, next), Float64Array.from({ length: dim }, next)];
  const k = Math.min(2, dim);
  V = orthonormal(V.slice(0, k));
  let values = new Float64Array(k);
  for (let iteration = 0; iteration < 30; iteration++) {
    const W = V.map(() => new Float64Array(dim));
    for (const r of sample) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += (x[r * dim + j] - mean[j]) * V[c][j];
        for (let j = 0; j < dim; j++) W[c][j] += s * (x[r * dim + j] - mean[j]);
      }
    }
    values = Float64Array.from(W, (w, c) => dot(w, V[c]) / sample.length);
    V = orthonormal(W);
  }
  const projection = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (x[r * dim + j] - mean[j]) * V[c][j];
      projection[r * 2 + c] = s;
    }
  }
  const variance = total / sample.length;
  return { projection, explained: Array.from(values, (v) => (variance > 0 ? v / variance : 0)) };
}

function dot(a, b) {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

function orthonormal(vectors) {
  const out = [];
  for (const v of vectors) {
    const u = Float64Array.from(v);
    for (const w of out) { const d = dot(u, w); for (let j = 0; j < u.length; j++) u[j] -= d * w[j]; }
    const norm = Math.sqrt(dot(u, u)) || 1;
    for (let j = 0; j < u.length; j++) u[j] /= norm;
    out.push(u);
  }
  return out;
}

/**
 * What the selection clusters. With labels: per-example gradients and Hessian diagonals of
 * softmax cross-entropy at a softmax-regression model after one epoch of SGD (the library's
 * plain-JS trainer, rows in order: deterministic), g = p - y and D = p (1 - p), as in
 * examples/node/demo.mjs. Without labels there is no loss: the rows themselves.
 */
export function gradientBatch(ds) {
  if (!ds.labels) return { batch: { gradients: Float32Array.from(ds.x), rows: ds.rows, dim: ds.dim }, space: 'rows' };
  const matrix = { data: ds.x, rows: ds.rows, dim: ds.dim };
  const classes = ds.classNames.length;
  const model = trainSoftmaxRegression(matrix, ds.labels, classes);
  const logits = softmaxLogits(model, matrix);
  for (let i = 0; i < logits.length; i++) {
    if (!Number.isFinite(logits[i])) throw new Error('the warm-up model diverged (non-finite logits): scale the features to about [0, 1]');
  }
  return { batch: softmaxCrossEntropyFromLogits(logits, ds.rows, classes, ds.labels), space: 'gradients' };
}

/** One selection round with the library's selector, and a random subset of the same size to compare with. */
export async function selectCoreset(ds, { method, fraction, optimizer, seed, signal, onProgress, onPhase }) {
  if (method === 'adacore' && !ds.labels) throw new Error('AdaCore needs labels: it clusters a model\'s preconditioned gradients');
  onPhase?.('gradients');
  const started = performance.now();
  const { batch, space } = gradientBatch(ds);
  const gradientSeconds = (performance.now() - started) / 1000;
  onPhase?.('selecting');
  const options = { seed, measureCost: true, signal, onProgress, ...(method === 'random' ? {} : { optimizer }) };
  const selector = createSelector(method, options);
  const selection = await selector.select(batch, { labels: ds.labels, fraction });
  const random = method === 'random' ? selection
    : await createSelector('random', { seed, measureCost: true, signal }).select(batch, { labels: ds.labels, fraction });
  // each method in the space it targets: AdaCore the preconditioned gradient sum, the others the plain one
  const error = method === 'adacore' ? (s) => selectionErrors(batch, s, selector).preconditioned
    : (s) => gradientError(batch.gradients, batch.dim, s.indices, s.weights);
  return {
    method, space, gradientSeconds, budget: selection.budget, rows: ds.rows,
    indices: selection.indices, weights: selection.weights, cost: selection.cost, seconds: selection.seconds,
    optimizer: selection.optimizer, path: selection.path, gradientError: error(selection),
    errorSpace: method === 'adacore' ? 'preconditioned' : 'plain', random: { cost: random.cost, gradientError: error(random) },
  };
}

/** The kept rows in input order (as `adacore prune` writes them), with their weights and labels. */
export function prunedFiles(ds, { indices, weights }, format, stem) {
  const order = Array.from(indices.keys()).sort((a, b) => indices[a] - indices[b]);
  const index = Int32Array.from(order, (p) => indices[p]);
  const weight = Float32Array.from(order, (p) => weights[p]);
  const rows = new ds.x.constructor(index.length * ds.dim);
  index.forEach((r, t) => rows.set(ds.x.subarray(r * ds.dim, (r + 1) * ds.dim), t * ds.dim));
  const label = ds.labels ? Int32Array.from(index, (r) => ds.labelValues[ds.labels[r]]) : undefined;
  if (format === 'npy') {
    return [
      { name: `${stem}-rows.npy`, bytes: encodeNpy(rows, [index.length, ds.dim]) },
      { name: `${stem}-indices.npy`, bytes: encodeNpy(index, [index.length]) },
      { name: `${stem}-weights.npy`, bytes: encodeNpy(weight, [index.length]) },
      ...(label ? [{ name: `${stem}-labels.npy`, bytes: encodeNpy(label, [index.length]) }] : []),
    ];
  }
  // one table: index, weight, (label,) then the row's values; a header line names the columns
  const lead = label ? 3 : 2, width = lead + ds.dim;
  const table = new Float64Array(index.length * width);
  for (let t = 0; t < index.length; t++) {
    table[t * width] = index[t];
    table[t * width + 1] = weight[t];
    if (label) table[t * width + 2] = label[t];
    for (let j = 0; j < ds.dim; j++) table[t * width + lead + j] = rows[t * ds.dim + j];
  }
  const header = ['index', 'weight', ...(label ? ['label'] : []), ...Array.from({ length: ds.dim }, (_, j) => `x${j}`)].join(',');
  return [{ name: `${stem}.csv`, bytes: new TextEncoder().encode(`${header}\n${encodeCsv(table, width)}`) }];
}

/**
 * The training data: the built-in set's own test images, else every fifth row (rows 4, 9, 14,
 * ...) held out as the test set.
 */
export function trainTestSplit(ds) {
  if (ds.test) return { x: ds.x, y: ds.labels, xTest: ds.test.x, yTest: ds.test.labels };
  const trainRows = [], testRows = [];
  for (let r = 0; r < ds.rows; r++) (r % 5 === 4 ? testRows : trainRows).push(r);
  const take = (rows) => {
    const x = new Float32Array(rows.length * ds.dim);
    rows.forEach((r, t) => x.set(ds.x.subarray(r * ds.dim, (r + 1) * ds.dim), t * ds.dim));
    return { x, y: Int32Array.from(rows, (r) => ds.labels[r]) };
  };
  const a = take(trainRows), b = take(testRows);
  return { x: a.x, y: a.y, xTest: b.x, yTest: b.y };
}

/**
 * train()'s options for each run, as examples/node/demo.mjs sets them for L-BFGS: the subset
 * runs finish with `polish` epochs on all rows; AdaCore and CRAIG pick their coreset once, after
 * two epochs on all rows (from the zero model every row of a class has the same gradient).
 * Minibatch optimizers (Adam, SGD) warm up one epoch and re-select every 5 epochs.
 */
export function runOptions(method, { model, optimizer, epochs, polish, fraction, seed, selectionOptimizer, trainRows }) {
  const minibatch = optimizer !== 'lbfgs';
  const common = {
    model, hidden: [64], optimizer, epochs, seed, fraction,
    ...(minibatch ? { batchSize: Math.max(1, Math.min(32, Math.round(fraction * trainRows))) } : {}),
    ...(optimizer === 'adam' ? { learningRate: 0.01 } : {}),
  };
  if (method === 'full') return { ...common, method };
  if (method === 'random') return { ...common, method, polish };
  return { ...common, method, polish, warmup: minibatch ? 1 : 2, every: minibatch ? 5 : 1000, selection: { optimizer: selectionOptimizer } };
}
