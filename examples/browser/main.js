// The page: controls, status and drawing. Reading, selecting, exporting (data-worker.js) and
// training (train-worker.js) run in module Workers, so the page never blocks on them.
import { RUN_COLOURS, RUN_NAMES, formatSeconds, formatWeight, renderChart, renderImages, renderMap } from './views.js';

const $ = (id) => document.getElementById(id);
const METHOD_NAMES = { adacore: 'AdaCore', craig: 'CRAIG', random: 'Random' };
const METHOD_HINTS = {
  adacore: 'Facility location on gradients preconditioned by the Hessian diagonal: it keeps what a Newton-like step needs.',
  craig: 'Facility location on the per-example gradients: each pick stands for the rows whose gradients are nearest.',
  random: 'A uniform random subset of each class, each row weighted by class size over picks: the baseline.',
};
const IN_SENTENCE = { full: 'full data', random: 'the random subset', adacore: 'the AdaCore coreset', craig: 'the CRAIG coreset' };
const TRAIN_DEFAULTS = { lbfgs: { epochs: 30, polish: 10 }, adam: { epochs: 8, polish: 2 }, sgd: { epochs: 8, polish: 2 } };

/** Requests to the data Worker; a cancel that is not answered soon ends the Worker (it keeps no state). */
class DataWorker {
  #worker; #next = 1; #pending = new Map();
  constructor() { this.#start(); }
  #start() {
    this.#worker = new Worker(new URL('./data-worker.js', import.meta.url), { type: 'module' });
    this.#worker.onmessage = ({ data }) => {
      const request = this.#pending.get(data.id);
      if (!request) return;
      if (data.progress) { request.onProgress?.(data.progress); return; }
      this.#pending.delete(data.id);
      clearTimeout(request.timer);
      if (data.error) request.reject(Object.assign(new Error(data.error), { cancelled: data.cancelled }));
      else request.resolve(data.result);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      for (const request of this.#pending.values()) request.reject(new Error(event.message || 'the data Worker failed to start'));
      this.#pending.clear();
    };
  }
  request(op, payload, onProgress) {
    const id = this.#next++;
    const promise = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject, onProgress }));
    this.#worker.postMessage({ id, op, ...payload });
    return { id, promise };
  }
  cancel(id) {
    const request = this.#pending.get(id);
    if (!request) return;
    this.#worker.postMessage({ op: 'cancel', target: id });
    request.timer = setTimeout(() => { // busy in a step that does not yield: end the Worker
      this.#worker.terminate();
      for (const r of this.#pending.values()) r.reject(Object.assign(new Error('cancelled'), { cancelled: true }));
      this.#pending.clear();
      this.#start();
    }, 1500);
  }
}

const data = new DataWorker();
const state = { busy: false, showAll: false, dataset: null, selection: null, selectRequest: null, trainer: null, runs: [], target: null, links: [] };

// ---- data -------------------------------------------------------------------------------

function source() {
  return document.querySelector('input[name="source"]:checked').value;
}

function setStatus(id, text, kind = '') {
  const node = $(id);
  node.textContent = text;
  node.className = `status ${kind}`;
}

async function load() {
  const builtin = source() === 'builtin';
  const file = $('data-file').files[0];
  if (!builtin && !file) { setStatus('data-status', 'Choose a data file first.', 'error'); return; }
  const column = $('label-column').value;
  const request = data.request('load', {
    source: builtin ? { kind: 'builtin', base: location.href }
      : { kind: 'file', file, labelsFile: column === 'file' ? $('labels-file').files[0] : undefined, labelColumn: column === 'file' ? 'none' : column },
  }, ({ phase }) => setStatus('data-status', phase === 'reading' ? 'Reading…' : 'Mapping the rows (PCA)…', 'busy'));
  const token = state.loadToken = (state.loadToken ?? 0) + 1; // a newer load wins
  setBusy(true);
  setStatus('data-status', builtin ? 'Reading the Fashion-MNIST slice…' : `Reading ${file.name}…`, 'busy');
  try {
    const ds = await request.promise;
    if (token !== state.loadToken) return;
    state.dataset = ds;
    clearSelection();
    clearTraining();
    showDataset(ds);
    setStatus('data-status', `Loaded ${ds.name}.`, 'ok');
  } catch (error) {
    if (token === state.loadToken) setStatus('data-status', `Could not load: ${error.message}`, 'error');
  } finally {
    if (token === state.loadToken) setBusy(false);
  }
}

function showDataset(ds) {
  const facts = [
    ['rows', ds.rows.toLocaleString('en')], ['values per row', ds.dim.toLocaleString('en')],
    ['classes', ds.labels ? String(ds.classNames.length) : 'none (no labels)'],
    ['test set', ds.test ? `${ds.test.labels.length} rows of its own` : ds.labels ? 'every fifth row, held out' : '—'],
  ];
  if (ds.image) facts.push(['shown as', `${ds.image.width} × ${ds.image.height} images`]);
  $('data-facts').replaceChildren(...facts.flatMap(([k, v]) => {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v; dd.dataset.fact = k;
    return [dt, dd];
  }));
  $('data-facts').hidden = false;
  const adacore = document.querySelector('input[name="method"][value="adacore"]');
  adacore.disabled = !ds.labels;
  if (!ds.labels && adacore.checked) document.querySelector('input[name="method"][value="craig"]').checked = true;
  $('view-set').hidden = !ds.image;
  document.querySelector(`input[name="view"][value="${ds.image ? 'images' : 'map'}"]`).checked = true;
  updateHints();
  showView();
  if (!ds.labels) setStatus('train-status', 'Training needs labels: choose a labels file or a label column.');
}

// ---- selection --------------------------------------------------------------------------

function method() {
  return document.querySelector('input[name="method"]:checked').value;
}

function updateHints() {
  const ds = state.dataset;
  let hint = METHOD_HINTS[method()];
  if (ds && !ds.labels) hint = method() === 'random' ? 'A uniform random subset, each row weighted rows over picks.'
    : 'Without labels there is no loss to take gradients of: facility location runs on the rows themselves. AdaCore needs labels.';
  $('method-hint').textContent = hint;
  $('optimizer').disabled = method() === 'random';
  $('fraction-out').textContent = `${Math.round(Number($('fraction').value) * 100)} %`;
  $('train').disabled = !ds || !ds.labels || state.trainer !== null || state.busy;
  $('train').title = ds && !ds.labels ? 'Training needs labels' : '';
}

function datasetForWorker(ds) {
  const { name, x, rows, dim, labels, labelValues, classNames, test } = ds;
  return { name, x, rows, dim, labels, labelValues, classNames, test };
}

async function select() {
  const ds = state.dataset;
  const params = { method: method(), fraction: Number($('fraction').value), optimizer: $('optimizer').value, seed: seedValue() };
  const progress = $('select-progress');
  progress.value = 0;
  progress.removeAttribute('value'); // indeterminate while the warm-up model gives the gradients
  let shown = 0;
  const request = data.request('select', { dataset: datasetForWorker(ds), params }, (p) => {
    if (p.phase === 'gradients') { setStatus('select-status', ds.labels ? 'Fitting a warm-up model for the gradients…' : 'Preparing the rows…', 'busy'); return; }
    const d = p.detail;
    if (p.phase === 'selecting' && d) {
      // greedy picks fill the second half of a class's share, the phases before it the first
      const within = d.total > 0 ? d.done / d.total : 0;
      const part = d.phase === 'greedy' ? 0.5 + 0.5 * within : 0.5 * within;
      shown = Math.max(shown, Math.min(1, (d.classIndex + part) / Math.max(1, d.classCount)));
      progress.value = shown;
      setStatus('select-status', `Selecting: class ${d.classIndex + 1} of ${d.classCount}, ${d.selected} of ${d.budget} picked`, 'busy');
    } else if (p.phase === 'selecting') {
      setStatus('select-status', `Selecting with ${METHOD_NAMES[params.method]}…`, 'busy');
    }
  });
  state.selectRequest = request.id;
  $('select').disabled = true;
  $('select-cancel').disabled = false;
  setStatus('select-status', 'Starting…', 'busy');
  try {
    const selection = await request.promise;
    if (state.dataset !== ds) return; // other data were loaded meanwhile
    selection.params = params;
    state.selection = selection;
    progress.value = 1;
    showSelection();
    $('jump-coreset').hidden = false;
    setStatus('select-status', `${METHOD_NAMES[params.method]} kept ${selection.indices.length} of ${ds.rows} rows in ${formatSeconds(selection.seconds)}.`, 'ok');
  } catch (error) {
    progress.value = 0;
    setStatus('select-status', error.cancelled ? 'Selection cancelled.' : `Selection failed: ${error.message}`, error.cancelled ? '' : 'error');
  } finally {
    state.selectRequest = null;
    $('select').disabled = false;
    $('select-cancel').disabled = true;
  }
}

function seedValue() {
  const seed = Math.floor(Number($('seed').value));
  return Number.isFinite(seed) && seed >= 0 && seed < 2 ** 32 ? seed : 0;
}

function clearSelection() {
  state.selection = null;
  for (const url of state.links) URL.revokeObjectURL(url);
  state.links = [];
  $('download-links').replaceChildren();
  $('downloads').hidden = true;
  $('view-images').replaceChildren();
  $('summary').innerHTML = '<p class="empty">Press <strong>Select</strong>: the picks appear here, largest weight first.</p>';
  $('select-progress').value = 0;
  $('jump-coreset').hidden = true;
  setStatus('select-status', '');
}

function stat(label, value, id, note) {
  const box = document.createElement('div');
  box.className = 'stat';
  box.innerHTML = '<span class="label"></span><span class="value"></span>';
  box.querySelector('.label').textContent = label;
  const v = box.querySelector('.value');
  v.textContent = value;
  v.id = id;
  if (note) { const n = document.createElement('span'); n.className = 'note'; n.textContent = note; box.append(n); }
  return box;
}

function showSelection() {
  const ds = state.dataset, s = state.selection;
  const space = s.space === 'rows' ? 'the rows' : s.method === 'adacore' ? 'preconditioned gradients' : 'gradients';
  const ratio = s.random.gradientError / s.gradientError;
  const stats = [
    stat('kept', `${s.indices.length.toLocaleString('en')} of ${ds.rows.toLocaleString('en')}`, 'sel-count', `${(100 * s.indices.length / ds.rows).toFixed(1)} %, weights sum to ${formatWeight(Math.round(s.weights.reduce((a, b) => a + b, 0)))}`),
    stat('cost L(S)', Number.isFinite(s.cost) ? s.cost.toPrecision(6) : '—', 'sel-cost', `facility location on ${space}`),
    stat(s.errorSpace === 'preconditioned' ? 'preconditioned gradient error' : 'gradient error', s.gradientError.toExponential(2), 'sel-error',
      s.method === 'random' ? '|weighted subset sum − full sum| / |full sum|'
        : `random subset of the same size: ${s.random.gradientError.toExponential(2)}${ratio > 1.05 ? `, ${ratio.toFixed(1)}× larger` : ''}`),
    stat('time', formatSeconds(s.seconds), 'sel-seconds', `${s.optimizer === 'none' ? 'no greedy' : `${s.optimizer}, ${s.path}`}${s.space === 'rows' ? '' : `; +${formatSeconds(s.gradientSeconds)} for the gradients`}`),
  ];
  $('summary').replaceChildren(...stats);
  $('downloads').hidden = false;
  $('download-links').replaceChildren();
  showView();
}

function view() {
  return document.querySelector('input[name="view"]:checked').value;
}

function showView() {
  const ds = state.dataset;
  if (!ds) return;
  const images = ds.image && view() === 'images';
  $('view-images').hidden = !images;
  $('view-map').hidden = images;
  // one row of tiles per class until "Show every pick"
  const box = $('view-images'), narrow = window.matchMedia('(max-width: 480px)').matches;
  const perRow = Math.max(4, Math.floor((box.clientWidth + (narrow ? 6 : 8)) / (narrow ? 52 : 62)));
  const many = state.selection && state.selection.indices.length > perRow * (ds.classNames?.length ?? 1);
  $('view-tools').hidden = !(images && many);
  if (images && state.selection) renderImages(box, ds, state.selection, state.showAll ? Infinity : perRow);
  if (images && !state.selection) $('view-images').replaceChildren();
  if (!images) renderMap($('map-canvas'), $('map-legend'), $('map-caption'), ds, state.selection);
}

async function download(format) {
  const ds = state.dataset, s = state.selection;
  const stem = `${ds.name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'data'}-${s.method}-${Math.round(s.params.fraction * 100)}pct`;
  setStatus('select-status', 'Writing the files…', 'busy');
  try {
    const files = await data.request('export', { dataset: datasetForWorker(ds), selection: { indices: s.indices, weights: s.weights }, format, stem }).promise;
    if (state.selection !== s) return;
    for (const url of state.links) URL.revokeObjectURL(url);
    state.links = [];
    const items = files.map(({ name, bytes }) => {
      const url = URL.createObjectURL(new Blob([bytes], { type: name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream' }));
      state.links.push(url);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.textContent = `Save ${name}`;
      const size = document.createElement('small');
      size.textContent = ` ${bytes.length < 2 ** 20 ? `${(bytes.length / 1024).toFixed(0)} KiB` : `${(bytes.length / 2 ** 20).toFixed(1)} MiB`}`;
      const li = document.createElement('li');
      li.append(a, size);
      return li;
    });
    $('download-links').replaceChildren(...items);
    $('download-links').querySelector('a')?.focus();
    setStatus('select-status', files.length === 1 ? `Ready to save ${files[0].name}.` : `Ready to save ${files.length} files.`, 'ok');
  } catch (error) {
    setStatus('select-status', `Could not write the files: ${error.message}`, 'error');
  }
}

// ---- training ---------------------------------------------------------------------------

function clearTraining() {
  state.trainer?.terminate();
  state.trainer = null;
  state.runs = [];
  state.target = null;
  $('runs-table').hidden = true;
  $('chart-download').hidden = true;
  $('jump-curves').hidden = true;
  drawChart();
  setStatus('train-status', '');
}

function drawChart() {
  renderChart($('chart'), state.runs, state.target);
  const done = state.runs.filter((r) => r.done);
  $('chart-caption').textContent = state.runs.length === 0 ? 'No training yet.'
    : `Test accuracy against seconds for ${state.runs.map((r) => RUN_NAMES[r.method]).join(', ')}; the table below lists the numbers.`;
  const body = $('runs-table').tBodies[0];
  const full = state.runs.find((r) => r.method === 'full');
  body.replaceChildren(...state.runs.map((run) => {
    const tr = document.createElement('tr');
    tr.dataset.run = run.method;
    const speed = run.done && run.secondsToTarget > 0 && full?.secondsToTarget > 0 ? `${(full.secondsToTarget / run.secondsToTarget).toFixed(1)}×` : '—';
    const cells = [
      RUN_NAMES[run.method], run.done ? (run.secondsToTarget == null ? 'not reached' : formatSeconds(run.secondsToTarget)) : run.cancelled ? 'cancelled' : 'running…', speed,
      run.done ? `${(100 * run.finalTestAccuracy).toFixed(2)} %` : '', run.done ? formatSeconds(run.selectionSeconds) : '',
    ];
    cells.forEach((text, k) => {
      const td = document.createElement(k === 0 ? 'th' : 'td');
      if (k === 0) {
        td.scope = 'row';
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = RUN_COLOURS[run.method];
        swatch.setAttribute('aria-hidden', 'true');
        td.append(swatch);
      }
      td.append(text);
      td.dataset.col = ['run', 'target', 'speed', 'accuracy', 'selection'][k];
      tr.append(td);
    });
    return tr;
  }));
  $('runs-table').hidden = state.runs.length === 0 || done.length === 0 && state.runs.every((r) => r.curve.length < 2);
}

function train() {
  const ds = state.dataset;
  clearTraining();
  const runs = [...document.querySelectorAll('input[name="run"]:checked')].map((i) => i.value);
  const params = {
    runs, model: $('model').value, optimizer: $('train-optimizer').value, epochs: clampInt($('epochs'), 1, 500),
    polish: clampInt($('polish'), 0, 500), fraction: Number($('fraction').value), seed: seedValue(), selectionOptimizer: $('optimizer').value,
  };
  const worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
  state.trainer = worker;
  $('train').disabled = true;
  $('train-cancel').disabled = false;
  setStatus('train-status', 'Starting the training Worker (tfjs, wasm backend)…', 'busy');
  $('jump-curves').hidden = false;
  const finish = () => {
    worker.terminate();
    if (state.trainer === worker) state.trainer = null;
    $('train-cancel').disabled = true;
    updateHints();
  };
  worker.onerror = (event) => { event.preventDefault(); setStatus('train-status', `Training failed: ${event.message}`, 'error'); finish(); };
  worker.onmessage = ({ data: m }) => {
    if (state.trainer !== worker) return;
    if (m.type === 'start') setStatus('train-status', `Training on ${m.trainRows} rows, testing on ${m.testRows} (${m.backend} backend)…`, 'busy');
    else if (m.type === 'run') {
      state.runs.push({ method: m.method, curve: [], done: false, secondsToTarget: null });
      setStatus('train-status', `Training on ${IN_SENTENCE[m.method]} (run ${state.runs.length} of ${runs.length})…`, 'busy');
      drawChart();
    } else if (m.type === 'point') {
      const run = state.runs.find((r) => r.method === m.method);
      run.curve.push(m.point);
      drawChart();
    } else if (m.type === 'done') {
      const run = state.runs.find((r) => r.method === m.method);
      Object.assign(run, { curve: m.curve, done: true, secondsToTarget: m.secondsToTarget, finalTestAccuracy: m.finalTestAccuracy, selectionSeconds: m.selectionSeconds });
      state.target = m.target;
      drawChart();
    } else if (m.type === 'finished') {
      const a = document.createElement('a');
      const url = URL.createObjectURL(new Blob([m.chart], { type: 'text/html' }));
      state.links.push(url);
      a.href = url;
      a.download = 'learning-curves.html';
      a.textContent = 'Save the four-panel chart (HTML, opens offline)';
      $('chart-download').replaceChildren(a);
      $('chart-download').hidden = false;
      const summary = state.runs.filter((r) => r.method !== 'full')
        .map((r) => `${IN_SENTENCE[r.method]} ${r.secondsToTarget == null ? 'did not reach it' : `in ${formatSeconds(r.secondsToTarget)}`}`);
      const full = state.runs.find((r) => r.method === 'full');
      setStatus('train-status', `Done. Target ${(100 * m.target).toFixed(1)} %: full data ${full.secondsToTarget == null ? 'never' : `in ${formatSeconds(full.secondsToTarget)}`}${summary.length ? `, ${summary.join(', ')}` : ''}.`, 'ok');
      finish();
    } else if (m.type === 'error') {
      setStatus('train-status', `Training failed: ${m.error}`, 'error');
      finish();
    }
  };
  worker.postMessage({ dataset: datasetForWorker(ds), params });
}

function cancelTraining() {
  if (!state.trainer) return;
  state.trainer.terminate();
  state.trainer = null;
  for (const run of state.runs) if (!run.done) run.cancelled = true; // their curves so far stay on the chart
  drawChart();
  $('train-cancel').disabled = true;
  setStatus('train-status', 'Training cancelled.');
  updateHints();
}

function clampInt(input, lo, hi) {
  const v = Math.round(Number(input.value));
  const clamped = Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
  input.value = String(clamped);
  return clamped;
}

// ---- wiring -----------------------------------------------------------------------------

function setBusy(busy) {
  state.busy = busy;
  document.body.classList.toggle('loading', busy);
  $('select').disabled = busy || !state.dataset || state.selectRequest !== null;
  $('load').disabled = busy;
  updateHints();
}

function onSourceChange() {
  const builtin = source() === 'builtin';
  $('file-options').hidden = builtin;
  if (builtin) load();
  else setStatus('data-status', $('data-file').files[0] ? '' : 'Choose or drop a data file, then press Load.');
}

function showFileName(input, target, fallback) {
  $(target).textContent = input.files[0] ? `${input.files[0].name} (${(input.files[0].size / 1024).toFixed(0)} KiB)` : fallback;
}

function dropZone(zoneId, inputId) {
  const zone = $(zoneId), input = $(inputId);
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (!e.dataTransfer?.files.length) return;
    const dt = new DataTransfer();
    dt.items.add(e.dataTransfer.files[0]);
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

for (const radio of document.querySelectorAll('input[name="source"]')) radio.addEventListener('change', onSourceChange);
for (const radio of document.querySelectorAll('input[name="method"]')) radio.addEventListener('change', updateHints);
for (const radio of document.querySelectorAll('input[name="view"]')) radio.addEventListener('change', showView);
$('fraction').addEventListener('input', updateHints);
$('data-file').addEventListener('change', (e) => showFileName(e.target, 'data-file-name', 'Drop a .npy, .csv or IDX file here, or press to choose one'));
$('labels-file').addEventListener('change', (e) => showFileName(e.target, 'labels-file-name', 'Optional: one integer class per row (.npy, CSV or IDX)'));
$('label-column').addEventListener('change', () => { $('drop-labels').hidden = $('label-column').value !== 'file'; });
$('load').addEventListener('click', load);
$('select').addEventListener('click', select);
$('select-cancel').addEventListener('click', () => { if (state.selectRequest !== null) { data.cancel(state.selectRequest); setStatus('select-status', 'Cancelling…', 'busy'); } });
$('train').addEventListener('click', train);
$('train-cancel').addEventListener('click', cancelTraining);
$('train-optimizer').addEventListener('change', () => {
  const d = TRAIN_DEFAULTS[$('train-optimizer').value];
  $('epochs').value = String(d.epochs);
  $('polish').value = String(d.polish);
  $('epochs-hint').textContent = $('train-optimizer').value === 'lbfgs'
    ? 'L-BFGS: one iteration an epoch. Subset runs train their epochs on the subset, then polish on all rows.'
    : 'Minibatches of 32. Subset runs train their epochs on the subset (coresets re-picked every 5 epochs), then polish on all rows.';
});
$('model').addEventListener('change', () => {
  const lbfgs = $('train-optimizer').querySelector('option[value="lbfgs"]');
  lbfgs.disabled = $('model').value === 'mlp';
  if (lbfgs.disabled && $('train-optimizer').value === 'lbfgs') { $('train-optimizer').value = 'adam'; $('train-optimizer').dispatchEvent(new Event('change')); }
});
for (const button of document.querySelectorAll('#downloads button[data-format]')) button.addEventListener('click', () => download(button.dataset.format));
$('show-all').addEventListener('click', () => {
  state.showAll = !state.showAll;
  $('show-all').setAttribute('aria-pressed', String(state.showAll));
  showView();
});
dropZone('drop-data', 'data-file');
dropZone('drop-labels', 'labels-file');
let resizeTimer;
new ResizeObserver(() => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => { drawChart(); if (state.dataset) showView(); }, 120); })
  .observe($('results'));

updateHints();
drawChart();
onSourceChange();
