// A page with a strict Content-Security-Policy uses the library: Debian's Chromium (headless,
// through playwright-core) opens pages served here by node:http with the policy as a response
// header, and the page's module script (served from 'self', no inline script) selects on one
// and on two threads (Workers from Blob URLs), starts the tfjs layer and runs a gradient source
// with an AdaCore selector. Every securitypolicyviolation event, console error and request is
// recorded. docs/reliability.md, "Security", explains the directives. Run `npm run build` first.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The strictest policy that works: every directive beyond default-src 'none' is needed (see docs). */
const STRICT = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src blob:";

// A classic script that runs before the module: records violations from the start.
const LISTEN = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile }));`;

// The page's work: each step's value or error message goes into window.__result.
const RUN = `const out = {};
const step = async (name, work) => {
  try { out[name] = { ok: true, value: await work() }; } catch (error) { out[name] = { ok: false, error: String(error && error.message || error) }; }
};
const core = await import('/dist/adacore.mjs');
let state = 7;
const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const rows = 600, dim = 8;
const x = Float32Array.from({ length: rows * dim }, random);
const labels = Int32Array.from({ length: rows }, (_, i) => i % 3);
await step('threads1', async () => Array.from((await core.selectCoreset(x, { dim, labels, budget: 30 })).indices));
await step('threads2', async () => {
  const coreset = await core.selectCoreset(x, { dim, labels, budget: 30, threads: 2 });
  return { indices: Array.from(coreset.indices), threads: coreset.threads };
});
const tfl = await import('/dist/adacore-tf.mjs');
await step('backend', async () => {
  const { backend, tried } = await tfl.initBackend(['wasm', 'cpu'], { timeoutMs: 10000 });
  return { backend, tried: tried.map(({ name, ok, reason }) => ({ name, ok, reason })) };
});
await step('source', async () => {
  const tf = tfl.getTf();
  const features = tf.tensor2d(x.subarray(0, 300 * dim), [300, dim]);
  const W = tf.tensor2d(Float32Array.from({ length: dim * 3 }, () => random() - 0.5), [dim, 3]);
  const y = labels.subarray(0, 300);
  let backend;
  const source = async () => {
    const logits = tf.matMul(features, W);
    try { const batch = await tfl.lastLayer({ features, logits, labels: y }); backend = batch.backend; return batch; } finally { logits.dispose(); }
  };
  const selector = new core.AdaCoreSelector({ source, threads: 2 });
  const first = await selector.select({ labels: y, fraction: 0.1 });
  const second = await selector.select({ labels: y, fraction: 0.1 });
  features.dispose(); W.dispose();
  return { backend, selected: [first.indices.length, second.indices.length], tensors: tf.memory().numTensors };
});
core.releaseWorkers();
window.__result = out;`;

interface Step<T> { ok: boolean; value?: T; error?: string }
interface PageRun {
  result: {
    threads1: Step<number[]>; threads2: Step<{ indices: number[]; threads: number }>;
    backend: Step<{ backend: string; tried: { name: string; ok: boolean; reason: string }[] }>;
    source: Step<{ backend: string; selected: number[]; tensors: number }>;
  };
  violations: { directive: string; blocked: string; source: string }[];
  errors: string[];
  requests: string[];
}

let server: Server;
let origin: string;
let browser: Browser;
const served: string[] = [];

function serve(): Promise<void> {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    served.push(url.pathname);
    const send = (type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      response.writeHead(200, { 'content-type': type, ...headers });
      response.end(body);
    };
    if (url.pathname === '/page') {
      return send('text/html', '<!doctype html><meta charset="utf-8"><title>adacore under a CSP</title><script src="/listen.js"></script><script type="module" src="/run.js"></script>',
        { 'content-security-policy': url.searchParams.get('policy') ?? '' });
    }
    if (url.pathname === '/listen.js') return send('text/javascript', LISTEN);
    if (url.pathname === '/run.js') return send('text/javascript', RUN);
    const file = /^\/dist\/([\w.-]+\.m?js)$/.exec(url.pathname)?.[1];
    if (file !== undefined && existsSync(DIST + file)) return send('text/javascript', readFileSync(DIST + file));
    response.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
    response.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    resolve();
  }));
}

/** Open the page under `policy` and wait for its script to finish. */
async function runPage(policy: string): Promise<PageRun> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text().slice(0, 300)); });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message.slice(0, 300)}`));
  page.on('request', (request) => requests.push(request.url().slice(0, 120)));
  try {
    await page.goto(`${origin}/page?policy=${encodeURIComponent(policy)}`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 30_000 });
    const { result, violations } = await page.evaluate(() => {
      const w = window as unknown as { __result: PageRun['result']; __violations: PageRun['violations'] };
      return { result: w.__result, violations: w.__violations };
    });
    return { result, violations, errors, requests };
  } finally {
    await context.close();
  }
}

describe.skipIf(!existsSync(CHROMIUM))('a page with a strict Content-Security-Policy (Chromium)', () => {
  beforeAll(async () => {
    await serve();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Selection on one and two threads, wasm tfjs and the source with Workers: all work, nothing is refused. */
  function expectEverythingWorks(run: PageRun): void {
    const { threads1, threads2, backend, source } = run.result;
    expect(threads1, threads1.error).toMatchObject({ ok: true });
    expect(threads1.value).toHaveLength(30);
    expect(threads2, threads2.error).toMatchObject({ ok: true });
    expect(threads2.value!.threads).toBe(2);
    expect(threads2.value!.indices).toEqual(threads1.value);
    expect(backend, backend.error).toMatchObject({ ok: true });
    expect(backend.value!.backend, JSON.stringify(backend.value!.tried)).toBe('wasm');
    expect(source, source.error).toMatchObject({ ok: true, value: { backend: 'wasm', selected: [30, 30], tensors: 0 } });
    expect(run.violations).toEqual([]);
    expect(run.errors).toEqual([]);
    // nothing fetched but the page's own files and the Workers' Blob URLs: not even the tfjs wasm binary's data: URL
    for (const url of run.requests) expect(url.startsWith(`${origin}/`) || url.startsWith(`blob:${origin}/`), url).toBe(true);
  }

  it(`${STRICT}: selection on 1 and 2 threads, tfjs on wasm and a gradient source, with no violation`, async () => {
    expectEverythingWorks(await runPage(STRICT));
    expect(served.filter((path) => path.startsWith('/dist/')).sort()).toEqual(expect.arrayContaining(['/dist/adacore-tf.mjs', '/dist/adacore.mjs']));
  });

  it("the same with Trusted Types required (require-trusted-types-for 'script'; trusted-types adacore)", async () => {
    expectEverythingWorks(await runPage(`${STRICT}; require-trusted-types-for 'script'; trusted-types adacore`));
  });

  it('without worker-src blob: one thread works and two threads fail with an error that names the fix', async () => {
    const run = await runPage("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'");
    const { threads1, threads2, backend } = run.result;
    expect(threads1.ok, threads1.error).toBe(true);
    expect(threads2.ok).toBe(false);
    expect(threads2.error).toContain('worker-src blob:');
    expect(threads2.error).toContain('threads: 1');
    expect(backend.value?.backend).toBe('wasm');
    expect(new Set(run.violations.map((v) => v.directive))).toEqual(new Set(['worker-src']));
  });

  it("without 'wasm-unsafe-eval' selection fails naming it, and tfjs falls back to cpu at once", async () => {
    const run = await runPage("default-src 'none'; script-src 'self'; worker-src blob:");
    const { threads1, backend } = run.result;
    expect(threads1.ok).toBe(false);
    expect(threads1.error).toContain("'wasm-unsafe-eval'");
    expect(backend, backend.error).toMatchObject({ ok: true, value: { backend: 'cpu' } });
    expect(backend.value!.tried[0]).toMatchObject({ name: 'wasm', ok: false });
    expect(new Set(run.violations.map((v) => v.directive))).toEqual(new Set(['script-src']));
  });
});
