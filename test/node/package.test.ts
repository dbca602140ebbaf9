// The package as users get it: `npm pack`, then `npm install <tarball> @tensorflow/tfjs` in a
// fresh project (a temporary folder), and the files of test/package run there (with bullmq, ioredis and
// @types/node, from npm's cache that `npm ci` filled), importing
// `adacore` by name: Node (the core, `npx adacore`), a tfjs user's first run with adacore/tf-peer
// (no warnings beyond what tfjs alone prints) and with the self-contained adacore/tf (same
// coreset), Deno with npm: specifiers, a page bundled by vite in Chromium, a Worker bundled for
// workerd with the "workerd" condition, and a TypeScript consumer compiled against the .d.ts.
// Nothing here reads the repository's dist/ directly. Run `npm run build` first.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Summary { size: number; indices: number[]; weights: number[] }

let project = '';
let tarball = '';
let packedFiles: string[] = [];

/** Runs `command` in the fresh project; returns stdout and stderr (throws on a non-zero exit). */
function inProject(command: string, args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: project, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr}${result.stdout}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

function lastJson<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((done, fail) => {
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port));
  });
  await new Promise((done) => server.close(done));
  return port;
}

beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), 'adacore-package-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  tarball = join(work, packed[0].filename);
  packedFiles = packed[0].files.map((file: { path: string }) => file.path);
  project = join(work, 'project');
  cpSync(join(ROOT, 'test/package'), project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'adacore-consumer', private: true, type: 'module' }));
  inProject('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, '@tensorflow/tfjs@4.22.0', 'bullmq@6.7.0', 'ioredis@5.11.1', '@types/node@20.19.25']);
}, 240_000);

afterAll(() => {
  if (project) rmSync(resolve(project, '..'), { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the bundles, the kernels, the types and the command, and no sources or tests', () => {
    for (const file of ['dist/adacore.mjs', 'dist/adacore-tf.mjs', 'dist/adacore-tf-peer.mjs', 'dist/adacore-distributed.mjs',
      'dist/adacore.workerd.mjs', 'dist/kernels.wasm', 'dist/cli.mjs', 'dist/types/index.d.ts', 'dist/types/tf.d.ts', 'bin/adacore.mjs', 'README.md', 'LICENSE']) {
      expect(packedFiles, file).toContain(file);
    }
    expect(packedFiles.filter((file) => /^(src|test|assembly|bench|build)\//.test(file))).toEqual([]);
    // the core stays free of tfjs, and the peer entry bundles none of it
    const installed = join(project, 'node_modules/adacore/dist');
    expect(readFileSync(join(installed, 'adacore.mjs'), 'utf8')).not.toMatch(/tfjs-core|registerKernel/);
    const peer = readFileSync(join(installed, 'adacore-tf-peer.mjs'), 'utf8');
    expect(peer).toMatch(/from '@tensorflow\/tfjs-core'/);
    expect(peer).not.toMatch(/registerKernel|registerBackend\('(cpu|wasm)'/);
  });
});

describe('Node, from the installed tarball', () => {
  let reference: Summary & { refused: string };

  it('imports adacore and selects (Workers included); bad input is an AdacoreError naming the argument', () => {
    reference = lastJson(inProject('node', ['node-core.mjs']).stdout);
    expect(reference.size).toBe(60);
    expect(new Set(reference.indices).size).toBe(60);
    expect(reference.weights.reduce((a, b) => a + b, 0)).toBe(600);
    expect(reference.refused).toBe('dim');
  });

  it('runs `npx adacore`', () => {
    const version = inProject('npx', ['--no-install', 'adacore', '--version']).stdout.trim();
    expect(version).toContain(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    // a .npy written by the package's own writer, selected by the command
    writeFileSync(join(project, 'write-npy.mjs'), `import { writeFileSync } from 'node:fs';
      import { encodeNpy } from 'adacore'; import { makeData } from './shared-data.mjs';
      const { x, n, f } = makeData(); writeFileSync('rows.npy', encodeNpy(x, [n, f]));`);
    inProject('node', ['write-npy.mjs']);
    const { stdout } = inProject('npx', ['--no-install', 'adacore', 'select', '--input', 'rows.npy', '--fraction', '0.05']);
    const result = JSON.parse(stdout);
    expect(result.indices).toHaveLength(30);
  });

  it('a tfjs user with adacore/tf-peer: one engine, nothing registered twice, no warning beyond tfjs\'s own', () => {
    const baseline = inProject('node', ['tfjs-baseline.mjs']);
    const run = inProject('node', ['tfjs-peer.mjs']);
    const peer = lastJson<Summary & { backend: string; sameEngine: boolean; leaked: number }>(run.stdout);
    expect(run.stderr).not.toMatch(/already registered|already been set/);
    // tfjs itself prints its "install tfjs-node" banner in Node; adacore adds nothing to it
    expect(run.stderr).toBe(baseline.stderr);
    expect(peer.sameEngine).toBe(true);
    expect(peer.backend).toBe('cpu');
    expect(peer.leaked).toBe(0);
    expect(peer.size).toBe(60);

    // the self-contained entry, without the user's tfjs: silent, and the same coreset
    const bundled = inProject('node', ['tfjs-bundled.mjs']);
    expect(bundled.stderr).toBe('');
    const self = lastJson<Summary>(bundled.stdout);
    expect(self.indices).toEqual(peer.indices);
    expect(self.weights).toEqual(peer.weights);
  });
});

describe('the trainer on adacore/tf-peer', () => {
  it('trains with AdaCore coresets on the user\'s tfjs; AdaHessian, which stock tfjs cannot differentiate twice, is a clear error', () => {
    const run = lastJson<{ accuracy: number; refused: { name: string; argument: string; message: string }; leaked: number }>(inProject('node', ['tfjs-peer-train.mjs']).stdout);
    expect(run.accuracy).toBeGreaterThan(0.9);
    expect(run.refused.name).toBe('AdacoreError');
    expect(run.refused.argument).toBe('optimizer');
    expect(run.refused.message).toMatch(/adacore\/tf carries the fix/);
    expect(run.leaked).toBe(0);
  });
});

describe('Deno, with npm: specifiers and no permissions', () => {
  it('selects the same coreset as Node and runs a gradient source on the bundled tfjs', () => {
    const node = lastJson<Summary>(inProject('node', ['node-core.mjs']).stdout);
    writeFileSync(join(project, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
    const denoDir = mkdtempSync(join(tmpdir(), 'adacore-package-deno-'));
    try {
      const { stdout, stderr } = inProject(join(BIN, 'deno'), ['run', '--no-prompt', 'deno.mjs'], { DENO_DIR: denoDir });
      const deno = lastJson<Summary & { backend: string; gradientRows: number; gradientDim: number }>(stdout);
      expect(deno.indices).toEqual(node.indices);
      expect(deno.weights).toEqual(node.weights);
      expect(deno.backend).toBe('wasm');
      expect([deno.gradientRows, deno.gradientDim]).toEqual([600, 3]);
      expect(stderr).not.toMatch(/already registered/);
    } finally {
      rmSync(denoDir, { recursive: true, force: true });
    }
  });
});

/** A static server of `dir` on 127.0.0.1; resolves with it and its port. */
async function serve(dir: string): Promise<{ server: Server; port: number }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createHttpServer((request, response) => {
    const path = join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file)) { response.writeHead(404).end(); return; }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return { server, port };
}

describe.skipIf(!existsSync(CHROMIUM))('a browser page bundled by vite from the package', () => {
  it('selects in the page and its Workers like Node, and runs the tfjs layer on wasm, with no console error', async () => {
    const node = lastJson<Summary>(inProject('node', ['node-core.mjs']).stdout);
    const { build } = await import('vite');
    const outDir = join(project, 'web-dist');
    await build({ root: join(project, 'web'), logLevel: 'silent', build: { outDir, emptyOutDir: true, target: 'es2022' } });
    const { server, port } = await serve(outDir);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (message) => { if (message.type() === 'error' || /already registered/.test(message.text())) errors.push(message.text()); });
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => document.getElementById('out')!.textContent !== 'working', undefined, { timeout: 60_000 });
      const shown = JSON.parse((await page.textContent('#out'))!);
      expect(shown.error).toBeUndefined();
      expect(shown.indices).toEqual(node.indices);
      expect(shown.weights).toEqual(node.weights);
      expect(shown.backend).toBe('wasm');
      expect([shown.gradientRows, shown.gradientDim]).toEqual([600, 3]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  });
});

describe('a Worker bundled for workerd with the "workerd" export condition', () => {
  let server: ChildProcess | undefined;
  afterAll(() => { server?.kill('SIGKILL'); });

  it('selects the same coreset as Node, the kernels imported as a .wasm module', async () => {
    const node = lastJson<Summary>(inProject('node', ['node-core.mjs']).stdout);
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    const kernels = join(project, 'node_modules/adacore/dist/kernels.wasm');
    // as wrangler does: resolve with the workerd condition, keep the .wasm import as a module
    const bundle = await rollup({
      input: join(project, 'workerd.mjs'),
      external: (id) => id.endsWith('.wasm'),
      plugins: [nodeResolve({ exportConditions: ['workerd', 'worker', 'browser'] })],
    });
    const outDir = join(project, 'workerd-dist');
    await bundle.write({ dir: outDir, format: 'es', paths: (id) => (id.endsWith('.wasm') ? './kernels.wasm' : id) });
    await bundle.close();
    cpSync(kernels, join(outDir, 'kernels.wasm'));
    const port = await freePort();
    writeFileSync(join(outDir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .main) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const main :Workerd.Worker = (
  modules = [ (name = "workerd.js", esModule = embed "workerd.js"), (name = "kernels.wasm", wasm = embed "kernels.wasm") ],
  compatibilityDate = "2025-01-01",
);
`);
    let log = '';
    server = spawn(join(BIN, 'workerd'), ['serve', 'config.capnp'], { cwd: outDir, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk) => { log += chunk; });
    server.stderr!.on('data', (chunk) => { log += chunk; });
    let shown: Summary | undefined;
    for (let attempt = 0; attempt < 100 && shown === undefined; attempt++) {
      try {
        shown = await (await fetch(`http://127.0.0.1:${port}/`)).json() as Summary;
      } catch {
        await new Promise((done) => setTimeout(done, 200));
      }
    }
    expect(shown, log).toBeDefined();
    expect(shown!.indices).toEqual(node.indices);
    expect(shown!.weights).toEqual(node.weights);
  });
});

describe('TypeScript', () => {
  // the consumer has what a user of every entry installs: @tensorflow/tfjs (for adacore/tf's
  // types), bullmq and ioredis (adacore/distributed's optional peers) and @types/node
  it('a consumer compiles with --strict against the published .d.ts (and a wrong option type fails)', () => {
    const result = spawnSync(join(BIN, 'tsc'), ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--skipLibCheck', 'false', 'consumer.ts'], { cwd: project, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
