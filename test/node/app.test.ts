// The browser app (examples/browser, docs/app.md) in headless Chromium, served by vite as
// `npm run app` serves it: a user's .npy file and labels go in through the file pickers, a
// seeded AdaCore selection and a short training run in the app's Workers, and what the page
// shows and lets one download is checked against the library's own result computed here, in
// Node, with the same seed. Also: no console error, no request outside the page's origin, every
// control labelled, no sideways scrolling at phone width. Screenshots go to test-artifacts/.
// Run `npm run build` first (the app imports dist/).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SLICE = join(ROOT, 'examples/data/fashion-mnist-slice');
const ROWS = 500, DIM = 784, CLASSES = 10, SEED = 7, FRACTION = 0.1, EPOCHS = 6, POLISH = 2;

type Core = typeof import('../../dist/adacore.mjs');
type Tf = typeof import('../../dist/adacore-tf.mjs');
type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;

let core: Core;
let tf: Tf;
let work = '';
let server: { close(): Promise<void>; resolvedUrls: { local: string[] } | null } | undefined;
let browser: Browser | undefined;
let base = '';
const errors: string[] = [];
const foreign: string[] = [];

/** Every console error and uncaught exception of the page and its Workers, and every request not to its origin. */
function watch(page: Page): void {
  const origin = new URL(base).origin;
  const onConsole = (message: { type(): string; text(): string }) => { if (message.type() === 'error') errors.push(message.text()); };
  page.on('console', onConsole);
  page.on('worker', (worker) => worker.on('console', onConsole));
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:') foreign.push(request.url());
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  core = await import('../../dist/adacore.mjs');
  tf = await import('../../dist/adacore-tf.mjs');
  work = mkdtempSync(join(tmpdir(), 'adacore-app-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const { createServer } = await import('vite');
  server = await createServer({
    configFile: join(ROOT, 'examples/browser/vite.config.mjs'), logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null }, // a concurrent `npm run build` must not reload the page
  });
  await (server as unknown as { listen(): Promise<void> }).listen();
  base = server.resolvedUrls!.local[0];
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The user's files: the slice's first ROWS images as a float32 .npy, their labels as an int32 .npy. */
async function userFiles(): Promise<{ x: Float32Array; labels: Int32Array; dataPath: string; labelsPath: string }> {
  const images = await core.readIdxMatrix(readFileSync(join(SLICE, 'train-images-idx3-ubyte.gz')), { scale: 1 / 255 });
  const all = await core.readIdxLabels(readFileSync(join(SLICE, 'train-labels-idx1-ubyte.gz')));
  const x = Float32Array.from(images.data.subarray(0, ROWS * DIM));
  const labels = all.slice(0, ROWS);
  const dataPath = join(work, 'fashion-500.npy'), labelsPath = join(work, 'fashion-500-labels.npy');
  writeFileSync(dataPath, core.encodeNpy(x, [ROWS, DIM]));
  writeFileSync(labelsPath, core.encodeNpy(labels, [ROWS]));
  return { x, labels, dataPath, labelsPath };
}

/**
 * The library's result for what the app promises (docs/app.md): gradients of softmax
 * cross-entropy at a softmax-regression model after one epoch of SGD, then one AdaCore round.
 */
async function referenceSelection(x: Float32Array, labels: Int32Array) {
  const matrix = { data: x, rows: ROWS, dim: DIM };
  const model = tf.trainSoftmaxRegression(matrix, labels, CLASSES);
  const batch = core.softmaxCrossEntropyFromLogits(tf.softmaxLogits(model, matrix), ROWS, CLASSES, labels);
  return core.createSelector('adacore', { seed: SEED, optimizer: 'partitioned', measureCost: true }).select(batch, { labels, fraction: FRACTION });
}

/** train() on every fifth row held out, the runs as docs/app.md describes them for L-BFGS. */
async function referenceTraining(x: Float32Array, labels: Int32Array) {
  const trainRows: number[] = [], testRows: number[] = [];
  for (let r = 0; r < ROWS; r++) (r % 5 === 4 ? testRows : trainRows).push(r);
  const take = (rows: number[]) => ({
    x: Float32Array.from(rows.flatMap((r) => Array.from(x.subarray(r * DIM, (r + 1) * DIM)))),
    y: Int32Array.from(rows, (r) => labels[r]),
  });
  const a = take(trainRows), b = take(testRows);
  await tf.initBackend(['wasm', 'cpu']);
  const common = { x: a.x, y: a.y, dim: DIM, xTest: b.x, yTest: b.y, model: 'softmax' as const, optimizer: 'lbfgs' as const, epochs: EPOCHS, seed: SEED, fraction: FRACTION };
  const full = await tf.train({ ...common, method: 'full' });
  const random = await tf.train({ ...common, method: 'random', polish: POLISH });
  const adacore = await tf.train({ ...common, method: 'adacore', polish: POLISH, warmup: 2, every: 1000, selection: { optimizer: 'partitioned' } });
  return { full, random, adacore };
}

const percent = (accuracy: number) => `${(100 * accuracy).toFixed(2)} %`;

describe.skipIf(!existsSync(CHROMIUM))('the browser app in Chromium', () => {
  it('selects and trains on a picked .npy file as the library does, with no console error and no request elsewhere', async () => {
    const { x, labels, dataPath, labelsPath } = await userFiles();
    const reference = await referenceSelection(x, labels);
    const trained = await referenceTraining(x, labels);

    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    watch(page);
    await page.goto(base);
    // the built-in slice loads first, in the data Worker
    await page.waitForFunction(() => document.getElementById('data-status')!.textContent!.startsWith('Loaded'), undefined, { timeout: 30_000 });
    expect(await page.textContent('[data-fact="rows"]')).toBe('2,000');

    // every control has an accessible name
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, button')]
      .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label') && !el.textContent!.trim())
      .map((el) => el.id || el.outerHTML.slice(0, 60)));
    expect(unnamed).toEqual([]);

    await page.check('input[name="source"][value="file"]');
    await page.setInputFiles('#data-file', dataPath);
    await page.selectOption('#label-column', 'file');
    await page.setInputFiles('#labels-file', labelsPath);
    await page.click('#load');
    await page.waitForFunction(() => document.getElementById('data-status')!.textContent === 'Loaded fashion-500.npy.', undefined, { timeout: 30_000 });
    expect(await page.textContent('[data-fact="rows"]')).toBe('500');
    expect(await page.textContent('[data-fact="classes"]')).toBe('10');

    await page.fill('#seed', String(SEED));
    await page.check('input[name="method"][value="adacore"]'); // the defaults, made explicit
    await page.selectOption('#optimizer', 'partitioned');
    let started = performance.now();
    await page.click('#select');
    await page.waitForSelector('#select-status.ok', { timeout: 30_000 });
    const selectSeconds = (performance.now() - started) / 1000;
    expect(await page.textContent('#sel-count')).toBe(`${reference.indices.length} of ${ROWS}`);
    expect(await page.textContent('#sel-cost')).toBe(reference.cost.toPrecision(6));
    expect(await page.locator('.tiles li').count()).toBeGreaterThan(0);

    // the CSV download: index, weight, label, then the row, in input order
    const order = Array.from(reference.indices.keys()).sort((p, q) => reference.indices[p] - reference.indices[q]);
    await page.click('#downloads button[data-format="csv"]');
    const csvLink = page.locator('#download-links a').first();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    const csvPath = join(work, csvDownload.suggestedFilename());
    await csvDownload.saveAs(csvPath);
    const table = core.readCsvMatrix(readFileSync(csvPath));
    expect([table.rows, table.dim]).toEqual([reference.indices.length, 3 + DIM]);
    const column = (c: number) => Array.from({ length: table.rows }, (_, r) => table.data[r * table.dim + c]);
    expect(column(0)).toEqual(order.map((p) => reference.indices[p]));
    expect(column(1)).toEqual(order.map((p) => reference.weights[p]));
    expect(column(2)).toEqual(order.map((p) => labels[reference.indices[p]]));
    const first = reference.indices[order[0]];
    expect(Array.from(table.data.subarray(3, 3 + DIM))).toEqual(Array.from(x.subarray(first * DIM, (first + 1) * DIM)));

    // the .npy downloads: the same indices and weights
    await page.click('#downloads button[data-format="npy"]');
    await page.waitForFunction(() => document.querySelectorAll('#download-links a').length === 4);
    const npy = async (suffix: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#download-links a[download$="${suffix}"]`)]);
      const path = join(work, download.suggestedFilename());
      await download.saveAs(path);
      return readFileSync(path);
    };
    expect(Array.from(core.readNpyLabels(await npy('-indices.npy')))).toEqual(order.map((p) => reference.indices[p]));
    const weights = await npy('-weights.npy'); // a 1-D float32 .npy (format 1.0: the header's length at byte 8)
    const start = 10 + weights.readUInt16LE(8);
    expect(new TextDecoder().decode(weights.subarray(10, start))).toContain(`'descr': '<f4', 'fortran_order': False, 'shape': (${order.length},)`);
    expect(Array.from(new Float32Array(weights.buffer.slice(weights.byteOffset + start, weights.byteOffset + weights.length)))).toEqual(order.map((p) => reference.weights[p]));

    // training: full, random and AdaCore, L-BFGS, short; the main thread stays free meanwhile
    await page.fill('#epochs', String(EPOCHS));
    await page.fill('#polish', String(POLISH));
    started = performance.now();
    await page.click('#train');
    const lag = page.evaluate(() => new Promise<number>((done) => {
      let worst = 0, last = performance.now();
      const tick = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last - 20);
        last = now;
        if (/^Done|failed/.test(document.getElementById('train-status')!.textContent!)) { clearInterval(tick); done(worst); }
      }, 20);
    }));
    await page.waitForFunction(() => /^Done|failed/.test(document.getElementById('train-status')!.textContent!), undefined, { timeout: 60_000 });
    const trainSeconds = (performance.now() - started) / 1000;
    expect(await page.textContent('#train-status')).toMatch(/^Done\. Target/);
    const worstLagMs = await lag;
    expect(worstLagMs).toBeLessThan(1000);
    writeFileSync(join(ARTIFACTS, 'app.json'), `${JSON.stringify({ selectSeconds, trainSeconds, worstLagMs, status: await page.textContent('#train-status') }, null, 2)}\n`);
    const accuracy = (run: string) => page.textContent(`#runs-table tr[data-run="${run}"] td[data-col="accuracy"]`);
    expect(await accuracy('full')).toBe(percent(trained.full.finalTestAccuracy!));
    expect(await accuracy('random')).toBe(percent(trained.random.finalTestAccuracy!));
    expect(await accuracy('adacore')).toBe(percent(trained.adacore.finalTestAccuracy!));
    const target = trained.full.finalTestAccuracy! - 0.01;
    expect(await page.textContent('#train-status')).toContain(`Target ${(100 * target).toFixed(1)} %`);
    const reached = (run: string) => page.textContent(`#runs-table tr[data-run="${run}"] td[data-col="target"]`);
    for (const [run, result] of [['random', trained.random], ['adacore', trained.adacore]] as const) {
      const reachedHere = result.curve.some((p) => p.testAccuracy! >= target);
      expect(await reached(run)).toMatch(reachedHere ? /^\d+\.\d+ s$/ : /^not reached$/);
    }
    expect(await page.locator('#chart svg polyline').count()).toBe(3);
    await page.screenshot({ path: join(ARTIFACTS, 'app.png'), fullPage: true });

    await page.check('input[name="view"][value="map"]');
    await page.waitForSelector('#view-map:not([hidden])');
    await page.locator('#view-map').screenshot({ path: join(ARTIFACTS, 'app-map.png') });
    await context.close();
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  }, 90_000);

  it('fits a phone: no sideways scrolling at 375 px, and a training run can be cancelled', async () => {
    const context = await browser!.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    watch(page);
    await page.goto(base);
    await page.waitForFunction(() => document.getElementById('data-status')!.textContent!.startsWith('Loaded'), undefined, { timeout: 30_000 });
    await page.click('#select');
    await page.waitForSelector('#select-status.ok', { timeout: 30_000 });
    await page.fill('#epochs', '200'); // long enough to be cancelled while it runs
    await page.click('#train');
    await page.waitForFunction(() => document.querySelectorAll('#chart polyline').length > 0, undefined, { timeout: 30_000 });
    await page.click('#train-cancel');
    expect(await page.textContent('#train-status')).toBe('Training cancelled.');
    expect(await page.isEnabled('#train')).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'app-phone.png'), fullPage: true });
    await context.close();
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  }, 60_000);
});
