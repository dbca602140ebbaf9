// Edge runtimes: Cloudflare's workerd (from npm) serves test/edge/worker.mjs, which imports
// dist/adacore.workerd.mjs (the package's "workerd" export: the kernels as a .wasm module,
// since workerd forbids compiling WebAssembly at run time). The cases of test/edge/cases.mjs
// run there and here on dist/adacore.mjs, on the committed Fashion-MNIST slice: the results
// must be the same. Run `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as adacore from '../../dist/adacore.mjs';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as tfl from '../../dist/adacore-tf.mjs';
// @ts-ignore: plain JS shared with the Worker
import { edgeCases, runEdgeCases } from '../edge/cases.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const SLICE = join(ROOT, 'examples/data/fashion-mnist-slice');
const input = {
  images: readFileSync(join(SLICE, 'train-images-idx3-ubyte.gz')).toString('base64'),
  labels: readFileSync(join(SLICE, 'train-labels-idx1-ubyte.gz')).toString('base64'),
};

/** `count` different ports nobody listens on now (held together, so they differ). */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(servers.map((server) => new Promise<number>((done, fail) => {
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port));
  })));
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

/** A Worker of workerd's config: `main` as worker.mjs, the bundle's files and `extra` modules. */
function worker(name: string, main: string, extra: string[]): string {
  const modules = [
    `(name = "worker.mjs", esModule = embed "${main}")`,
    ...extra.map((file) => `(name = "${file}", esModule = embed "${file}")`),
    '(name = "adacore.workerd.mjs", esModule = embed "adacore.workerd.mjs")',
    '(name = "adacore.mjs", esModule = embed "adacore.mjs")',
    '(name = "kernels.wasm", wasm = embed "kernels.wasm")',
  ];
  return `const ${name} :Workerd.Worker = (\n  modules = [\n    ${modules.join(',\n    ')},\n  ],\n  compatibilityDate = "2025-01-01",\n);\n`;
}

/** workerd's config: the test's Worker on `port`, examples/edge/worker.mjs on `examplePort`. */
function config(port: number, examplePort: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .edgeWorker), (name = "example", worker = .exampleWorker) ],
  sockets = [
    (name = "http", address = "127.0.0.1:${port}", http = (), service = "main"),
    (name = "example", address = "127.0.0.1:${examplePort}", http = (), service = "example"),
  ],
);
${worker('edgeWorker', 'worker.mjs', ['cases.mjs', 'adacore-tf.mjs'])}${worker('exampleWorker', 'example.mjs', [])}`;
}

describe('edge: Cloudflare workerd runs dist/adacore.workerd.mjs', () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let log = '';
  let examplePort = 0;
  let edge: { runtime: string; workersAvailable: boolean; threads: number; tfBackend: { backend: string; tried: { name: string; reason: string; ms: number }[] }; results: Record<string, unknown> } | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adacore-edge-'));
    for (const file of ['adacore.workerd.mjs', 'adacore.mjs', 'adacore-tf.mjs', 'kernels.wasm']) copyFileSync(join(ROOT, 'dist', file), join(dir, file));
    for (const file of ['worker.mjs', 'cases.mjs']) copyFileSync(join(ROOT, 'test/edge', file), join(dir, file));
    copyFileSync(join(ROOT, 'examples/edge/worker.mjs'), join(dir, 'example.mjs'));
    let port: number;
    [port, examplePort] = await freePorts(2);
    writeFileSync(join(dir, 'config.capnp'), config(port, examplePort));
    server = spawn(join(ROOT, 'node_modules/.bin/workerd'), ['serve', 'config.capnp'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk) => { log += chunk; });
    server.stderr!.on('data', (chunk) => { log += chunk; });
    // workerd takes a moment to start listening
    const deadline = Date.now() + 30_000;
    let response: Response;
    for (;;) {
      try {
        response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify(input) });
        break;
      } catch (error) { // not listening yet
        if (Date.now() > deadline || server.exitCode !== null) throw new Error(`workerd did not answer: ${error}\n${log}`);
        await new Promise((done) => setTimeout(done, 200));
      }
    }
    if (!response.ok) throw new Error(`the edge Worker failed (HTTP ${response.status}): ${await response.text()}\n${log.slice(0, 4000)}`);
    edge = await response.json();
  }, 60_000);

  afterAll(() => {
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers from workerd, where threads: 2 runs on one thread (no Workers there)', () => {
    expect(edge?.runtime).toMatch(/Cloudflare-Workers/);
    expect(edge?.workersAvailable).toBe(false);
    expect(edge?.threads).toBe(1);
    expect(adacore.workersAvailable()).toBe(true); // here in Node, for contrast
  });

  it('adacore/tf picks cpu there, skipping wasm at once with the reason (it would hang until the timeout)', () => {
    const { backend, tried } = edge!.tfBackend;
    expect(backend).toBe('cpu');
    const wasm = tried.find((t) => t.name === 'wasm')!;
    expect(wasm.reason).toMatch(/does not compile WebAssembly at run time/);
    expect(wasm.ms).toBeLessThan(1000);
  });

  it('every case gives on the edge what it gives in Node (picks, weights, gains, cost, gradients, errors)', async () => {
    await tfl.initBackend(['cpu']); // the edge's backend (this file runs in a process of its own)
    const here = await runEdgeCases(adacore, input, tfl);
    for (const [name] of edgeCases as [string][]) {
      const there = edge!.results[name] as Record<string, unknown>;
      expect(there, `${name}: the edge result`).toBeDefined();
      expect(there.failed, `${name} failed on the edge`).toBeUndefined();
      expect(there, name).toEqual(here[name]);
    }
  });

  it('useKernelModule takes dist/kernels.wasm compiled by the caller, and rejects a module that is not the kernels', async () => {
    const x = Float32Array.from({ length: 600 }, (_, i) => Math.sin(i * 1.7) * 3);
    const before = await adacore.selectCoreset(x, { dim: 3, budget: 12 });
    adacore.useKernelModule(await WebAssembly.compile(readFileSync(join(ROOT, 'dist/kernels.wasm'))));
    const after = await adacore.selectCoreset(x, { dim: 3, budget: 12 });
    expect(Array.from(after.indices)).toEqual(Array.from(before.indices));
    const empty = await WebAssembly.compile(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    expect(() => adacore.useKernelModule(empty)).toThrow(/module: is not adacore's kernels.wasm .*lacks memory, heapBase/);
    expect(() => adacore.useKernelModule('kernels.wasm')).toThrow(/module: expected a WebAssembly.Module/);
  });

  it('examples/edge/worker.mjs prunes a posted dataset, and answers bad input with a 400 naming the row', async () => {
    const post = (body: unknown) => fetch(`http://127.0.0.1:${examplePort}/`, { method: 'POST', body: JSON.stringify(body) });
    const good = await post({ vectors: [[0, 0], [0, 1], [5, 5], [5, 6], [9, 0]], labels: [0, 0, 1, 1, 1], fraction: 0.4 });
    expect(good.status).toBe(200);
    const here = await adacore.selectCoreset([[0, 0], [0, 1], [5, 5], [5, 6], [9, 0]], { labels: [0, 0, 1, 1, 1], fraction: 0.4 });
    expect(await good.json()).toEqual({ indices: Array.from(here.indices), weights: Array.from(here.weights), cost: here.cost });
    const bad = await post({ vectors: [[0, 0], [0, null]] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ argument: 'vectors', error: 'vectors: row 1, column 1 is null; every value must be a finite number' });
  });

  it('the cases select something and the errors name the argument (so equality above is not vacuous)', () => {
    const results = edge!.results as Record<string, any>;
    const lazy = results['Fashion slice, 10 % per class, lazy greedy'];
    expect(lazy.indices.length).toBe(200);
    expect(lazy.weights.reduce((a: number, b: number) => a + b, 0)).toBe(2000);
    const rounds = results['AdaCore selector, two rounds on softmax gradients of pixel-block logits'];
    expect(rounds).toHaveLength(2);
    expect(rounds[0].indices).not.toEqual(rounds[1].indices);
    const [nan, labels, module] = results['bad input: a NaN row, labels of the wrong length, a kernel module that is not one'];
    expect(nan).toMatchObject({ name: 'AdacoreError', argument: 'vectors' });
    expect(nan.message).toMatch(/row 4, column 1 is NaN/);
    expect(labels).toMatchObject({ name: 'AdacoreError', argument: 'labels' });
    expect(module).toMatchObject({ name: 'AdacoreError', argument: 'module' });
    expect(module.message).toMatch(/expected a WebAssembly.Module/);
  });
});
