// Time to accuracy of training on coresets against full data and random subsets, on
// Fashion-MNIST (Debian's dataset-fashion-mnist). Prints one JSON document: the environment and
// one object per run. Rules (docs/benchmarks.md, section 6): seconds include selection and
// Hessian work and exclude evaluation; every method is evaluated at the same step granularity;
// each method gets its own learning rate from the same grid (the one that reaches the target
// soonest); target = the full-data run's final test accuracy minus one point; methods of a
// regime run alternated in one process; medians over seeds are in `summary`.
//   npm run build && node bench/train.mjs [--quick | --smoke] [--seeds 3] [--regimes a,b,c,d] [--match TEXT] [--chart bench-train.html]
//     [--d-seeds 1] [--sgd]   (regime d: seeds, and SGD besides Adam)
//   node bench/train.mjs --summarize earlier.json   (the summary again, from an earlier output)
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { readIdxLabels, readIdxMatrix, simdSupported } from '../dist/adacore.mjs';
import { initBackend, learningCurveChart, train } from '../dist/adacore-tf.mjs';

const { values } = parseArgs({ options: {
  summarize: { type: 'string' },
  quick: { type: 'boolean', default: false }, smoke: { type: 'boolean', default: false }, seeds: { type: 'string' }, regimes: { type: 'string' }, match: { type: 'string' }, chart: { type: 'string' },
  'd-seeds': { type: 'string' }, sgd: { type: 'boolean', default: false },
} });
// --summarize FILE: recompute the summary of an earlier run's JSON, and stop
if (values.summarize) {
  const earlier = JSON.parse(readFileSync(values.summarize, 'utf8'));
  console.log(JSON.stringify({ ...earlier, summary: summarize(earlier.runs) }, null, 1));
  process.exit(0);
}

// --smoke: the committed 2,000-image slice and a few iterations, for the test suite
const SMOKE = values.smoke;
const QUICK = values.quick || SMOKE;
const SEEDS = Number(values.seeds ?? (QUICK ? 1 : 3));
const REGIMES = (values.regimes ?? (QUICK ? 'a' : 'a,b,c,d')).split(',');
const FASHION = SMOKE ? new URL('../examples/data/fashion-mnist-slice', import.meta.url).pathname : '/usr/share/datasets/fashion-mnist';

const load = async (name, scale) => (scale ? readIdxMatrix : readIdxLabels)(readFileSync(`${FASHION}/${name}`), scale ? { scale } : {});
const images = await load('train-images-idx3-ubyte.gz', 1 / 255);
const labels = await load('train-labels-idx1-ubyte.gz');
const testImages = await load('t10k-images-idx3-ubyte.gz', 1 / 255);
const testLabels = await load('t10k-labels-idx1-ubyte.gz');
const { backend } = await initBackend(['wasm']);

/** Rows of classes a and b, labelled 0 and 1. */
function binary(x, y, a, b) {
  const rows = [];
  for (let i = 0; i < y.length; i++) if (y[i] === a || y[i] === b) rows.push(i);
  const data = new Float32Array(rows.length * x.dim);
  rows.forEach((r, t) => data.set(x.data.subarray(r * x.dim, (r + 1) * x.dim), t * x.dim));
  return { x: data, y: Int32Array.from(rows, (r) => (y[r] === b ? 1 : 0)), rows: rows.length };
}

/** Every row `copies` times with small seeded noise: redundant data. */
function redundant(set, dim, copies, seed) {
  let state = seed >>> 0;
  const noise = () => { state = (state * 1664525 + 1013904223) >>> 0; return (state / 2 ** 32 - 0.5) * 0.02; };
  const x = new Float32Array(set.x.length * copies);
  const y = new Int32Array(set.y.length * copies);
  for (let c = 0; c < copies; c++) for (let i = 0; i < set.y.length; i++) {
    y[c * set.y.length + i] = set.y[i];
    for (let j = 0; j < dim; j++) x[(c * set.y.length + i) * dim + j] = set.x[i * dim + j] + noise();
  }
  return { x, y, rows: y.length };
}

const all = { x: images.data, y: labels, rows: images.rows };
const test = { x: testImages.data, y: testLabels };
const tshirtShirt = binary(images, labels, 0, 6);
const tshirtShirtTest = binary(testImages, testLabels, 0, 6);

// Each regime: its data, model, solver settings, the fractions, and the methods (with variants).
const subsetMethods = ['random', 'random-epoch', 'craig', 'adacore'];
const regimes = {
  a: () => [
    { name: 'a: softmax regression, L-BFGS', model: 'softmax', data: all, test, optimizer: 'lbfgs', epochs: SMOKE ? 4 : QUICK ? 40 : 80, fractions: QUICK ? [0.1] : [0.01, 0.05, 0.1], every: 1000, polish: [0, SMOKE ? 2 : QUICK ? 20 : 40], rates: [1] },
    ...(SMOKE ? [] : [{ name: 'a: binary logistic (0 vs 6), Newton', model: 'logistic', data: tshirtShirt, test: tshirtShirtTest, optimizer: 'newton', epochs: 8, fractions: QUICK ? [0.1] : [0.01, 0.05, 0.1], every: 1000, polish: [0, 3], rates: [1] }]),
    { name: 'a: binary logistic (0 vs 6), L-BFGS', model: 'logistic', data: tshirtShirt, test: tshirtShirtTest, optimizer: 'lbfgs', epochs: SMOKE ? 4 : 40, fractions: QUICK ? [0.1] : [0.01, 0.05, 0.1], every: 1000, polish: [0, SMOKE ? 2 : 15], rates: [1] },
  ],
  b: () => [
    { name: 'b: binary logistic (0 vs 6), incremental gradient', model: 'logistic', data: tshirtShirt, test: tshirtShirtTest, optimizer: 'incremental', epochs: 10, fractions: [0.1], every: 1000, polish: [0], rates: [0.003, 0.01, 0.03], schedule: 'exponential', decay: 0.8 },
  ],
  c: () => {
    const data = redundant(tshirtShirt, 784, 5, 7);
    return [{ name: 'c: redundant binary logistic (0 vs 6, 5 noisy copies), L-BFGS', model: 'logistic', data, test: tshirtShirtTest, optimizer: 'lbfgs', epochs: 40, fractions: [0.02, 0.1], every: 1000, polish: [0, 15], rates: [1] }];
  },
  // (d) costs about 40 s a training here (3 epochs of 60,000 rows, or 30 of 6,000): Adam only
  // (--sgd adds SGD with momentum) and one seed (--d-seeds N for more) keep the whole run near 40 minutes
  d: () => [1, 5].flatMap((every) => (values.sgd ? ['sgd', 'adam'] : ['adam']).map((optimizer) => ({
    name: `d: MLP 784-100-10, ${optimizer}, re-selection every ${every}`, model: 'mlp', data: all, test, optimizer, epochs: 3, fractions: [0.1], every, polish: [0],
    seeds: Math.min(SEEDS, Number(values['d-seeds'] ?? 1)),
    rates: optimizer === 'sgd' ? [0.03, 0.1, 0.3] : [3e-4, 1e-3, 3e-3], batchSize: 128, momentum: optimizer === 'sgd' ? 0.9 : 0,
  }))),
};

const runs = [];
const charts = [];
for (const key of REGIMES) {
  for (const regime of regimes[key]()) {
    if (values.match && !regime.name.includes(values.match)) continue;
    for (let seed = 0; seed < (regime.seeds ?? SEEDS); seed++) {
      const common = {
        x: regime.data.x, y: regime.data.y, dim: 784, xTest: regime.test.x, yTest: regime.test.y, model: regime.model, hidden: [100],
        optimizer: regime.optimizer, seed, schedule: regime.schedule ?? 'constant', decay: regime.decay ?? 1, batchSize: regime.batchSize ?? 128,
        momentum: regime.momentum ?? 0, evaluateEvery: regime.optimizer === 'incremental' ? 1000 : regime.model === 'mlp' ? 100 : 1,
      };
      // full data first: its final accuracy sets the target
      const full = await best(regime, { ...common, method: 'full', epochs: regime.epochs }, undefined);
      const target = full.result.finalTestAccuracy - 0.01;
      full.result.secondsToTarget = full.result.curve.find((p) => p.testAccuracy >= target)?.seconds ?? null;
      record(regime, 'full', 1, 0, seed, full, target);
      const curves = [{ label: 'full', curve: full.result.curve, secondsToTarget: full.result.secondsToTarget }];
      for (const fraction of regime.fractions) {
        for (const polish of regime.polish) {
          for (const method of subsetMethods) {
            // per-row and minibatch solvers: a subset epoch is `fraction` of the steps, so subsets get
            // the full run's step budget (epochs / fraction); full-batch solvers count iterations
            const epochs = ['sgd', 'adam', 'adahessian', 'incremental'].includes(regime.optimizer) ? Math.round(regime.epochs / fraction) : regime.epochs;
            const run = await best(regime, { ...common, method, fraction, every: Math.min(regime.every, epochs), epochs, polish, targetAccuracy: target }, target);
            record(regime, method, fraction, polish, seed, run, target);
            if (seed === 0 && fraction === regime.fractions[regime.fractions.length - 1]) {
              curves.push({ label: `${method}${polish ? ` + ${polish} polish` : ''} (${fraction * 100} %)`, curve: run.result.curve, secondsToTarget: run.result.secondsToTarget });
            }
          }
        }
      }
      if (seed === 0) charts.push({ title: regime.name, curves, target });
    }
  }
}

/** The grid's best learning rate for this method: the one reaching the target soonest (else the best final accuracy). */
async function best(regime, options, target) {
  let chosen;
  for (const learningRate of regime.rates) {
    const result = await train({ ...options, learningRate, ...(target === undefined ? {} : { targetAccuracy: target }) }).catch((e) => ({ error: String(e.message ?? e) }));
    if (result.error) continue;
    const score = target === undefined ? -result.finalTestAccuracy : result.secondsToTarget ?? Infinity;
    const tie = target === undefined || result.secondsToTarget != null ? 0 : -result.finalTestAccuracy;
    if (!chosen || score < chosen.score || (score === chosen.score && tie < chosen.tie)) chosen = { result, learningRate, score, tie };
  }
  if (!chosen) throw new Error(`${regime.name}: every learning rate of the grid diverged for ${options.method}`);
  return chosen;
}

function record(regime, method, fraction, polish, seed, { result, learningRate }, target) {
  const run = {
    regime: regime.name, model: regime.model, optimizer: regime.optimizer, method: polish ? `${method}+polish` : method, fraction, every: regime.every,
    polish, seed, learningRate, finalAccuracy: round(result.finalTestAccuracy), targetAccuracy: round(target),
    secondsToTarget: result.secondsToTarget == null ? null : round(result.secondsToTarget), selectionSeconds: round(result.selectionSeconds),
    totalSeconds: round(result.totalSeconds), steps: result.steps,
  };
  runs.push(run);
  console.error(JSON.stringify(run));
}

// medians over seeds, and each method's speed-up over full data and over the better random baseline
function summarize(runs) {
const summary = [];
for (const regime of [...new Set(runs.map((r) => r.regime))]) {
  const inRegime = runs.filter((r) => r.regime === regime);
  const groups = new Map();
  for (const r of inRegime) {
    const key = `${r.method} ${r.fraction}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  // the median over seeds with a run that never reached the target counted as infinitely slow
  const timeOf = (rs) => {
    if (rs.length === 0) return null;
    const t = median(rs.map((r) => r.secondsToTarget ?? Infinity));
    return Number.isFinite(t) ? t : null;
  };
  const fullTime = timeOf(groups.get('full 1'));
  for (const [key, rs] of groups) {
    const [method, fraction] = key.split(' ');
    const time = timeOf(rs);
    const randoms = ['random', 'random-epoch'].map((m) => timeOf(groups.get(`${method.endsWith('+polish') ? `${m}+polish` : m} ${fraction}`) ?? [])).filter((t) => t != null);
    const bestRandom = randoms.length ? Math.min(...randoms) : null;
    summary.push({
      regime, method, fraction: Number(fraction), runs: rs.length, medianSecondsToTarget: time,
      range: rs.every((r) => r.secondsToTarget != null) ? [Math.min(...rs.map((r) => r.secondsToTarget)), Math.max(...rs.map((r) => r.secondsToTarget))] : null,
      reachedTarget: `${rs.filter((r) => r.secondsToTarget != null).length}/${rs.length}`,
      medianFinalAccuracy: median(rs.map((r) => r.finalAccuracy)), medianSelectionSeconds: median(rs.map((r) => r.selectionSeconds)),
      speedupOverFull: time && fullTime ? round(fullTime / time, 3) : null,
      speedupOverBestRandom: time && bestRandom && !method.startsWith('random') ? round(bestRandom / time, 3) : null,
    });
  }
}
return summary;
}

function median(xs) { const s = [...xs].sort((p, q) => p - q); return s.length ? s[Math.floor(s.length / 2)] : null; }
function round(x, digits = 4) { return x == null ? x : Number(x.toPrecision(digits)); }

const summary = summarize(runs);

if (values.chart) {
  const pages = charts.map(({ title, curves, target }) => learningCurveChart(curves, { title, targetAccuracy: target }));
  writeFileSync(values.chart, pages[0] ?? learningCurveChart([]));
  pages.slice(1).forEach((page, i) => writeFileSync(values.chart.replace(/(\.html)?$/, `-${i + 2}.html`), page));
}
console.log(JSON.stringify({
  environment: { node: process.version, backend, simd: await simdSupported(), cpu: cpus()[0]?.model, quick: QUICK, smoke: SMOKE, seeds: SEEDS, regimes: REGIMES },
  runs, summary,
}, null, 1));
