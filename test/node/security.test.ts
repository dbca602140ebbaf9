// The library does no network access, evaluates no strings and touches no files in browsers:
// (1) the built bundles (and the selection Worker's script embedded in the core) are scanned for
// the constructs that could, and every occurrence must be one listed below with the reason it is
// dead code or harmless; (2) in a child Node process with fetch, eval and Function replaced by
// stubs that throw and the network and file modules watched, selection (1 and 2 threads), the
// tfjs layer on wasm and cpu and train() run; (3) the .npy header parser takes headers holding
// Python expressions, JS code and __proto__ keys as refused or as data, and pollutes nothing.
// docs/reliability.md, "Security", summarises the findings. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as core from '../../dist/adacore.mjs';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The constructs looked for. */
const PATTERNS: Record<string, RegExp> = {
  eval: /(?<![\w$-])eval\b/g, // not the CSP keyword 'wasm-unsafe-eval' in an error message
  Function: /\bnew\s+Function\b|(?<![\w$.])Function\s*\(/g,
  'string timer': /\bset(?:Timeout|Interval)\s*\(\s*['"`]/g,
  fetch: /\bfetch\s*\(/g,
  XMLHttpRequest: /\bXMLHttpRequest\b/g,
  WebSocket: /\bWebSocket\b/g,
  'other channels': /\b(?:EventSource|sendBeacon|RTCPeerConnection|WebTransport)\b/g,
  importScripts: /\bimportScripts\b/g,
  require: /\brequire\s*\(/g,
  'dynamic import': /\bimport\s*\(/g,
  'node: module': /\bnode:[a-z_/]+/g,
  'file system': /\bfs\.\w+|\breadFileSync\b|\bchild_process\b|\bprocess\.binding\b|\bDeno\.(?:read|open|run|Command)/g,
  'browser storage and files': /\b(?:localStorage|indexedDB|FileReader|showOpenFilePicker)\b/g,
  Worker: /\bnew\s+[\w$.]*Worker\s*\(/g,
};

interface Allowed {
  pattern: string;
  /** Text around each occurrence this entry covers: the occurrence lies inside it. */
  near: string;
  count: number;
  reason: string;
}

const TFJS_IO = 'tfjs-core io (model save/load); adacore never calls tf.io, and the routers registered at import only push a function into a list';
const EMSCRIPTEN_FETCH = "Emscripten's own binary loading (instantiateAsync, getBinary); never reached: tfjs passes instantiateWasm (setWasmPaths(..., true)), and the binary is answered from the embedded bytes (src/tf/wasm-binary.ts)";
const PTHREAD = 'the threaded wasm backend (its module and pthread Worker script); never run: WASM_HAS_MULTITHREAD_SUPPORT is false (src/tf/tfjs-bundled.ts)';

/** Every occurrence allowed, per bundle, with the reason. */
const ALLOWED: Record<string, Allowed[]> = {
  'adacore.mjs': [
    { pattern: 'node: module', near: "const specifier = 'node:worker_threads'", count: 1, reason: 'selection Workers in Node (src/parallel/pool.ts); the branch runs only where process.versions.node is set and Deno is not' },
    { pattern: 'dynamic import', near: 'await import(/* @vite-ignore */ specifier)', count: 1, reason: 'the same: node:worker_threads, a constant' },
    { pattern: 'dynamic import', near: '// import(), not require', count: 1, reason: 'a comment' },
    { pattern: 'eval', near: '// import(), not require: the eval code', count: 1, reason: 'a comment' },
    { pattern: 'dynamic import', near: "`import('node:worker_threads').then", count: 1, reason: "the prelude of the Node Worker's script, a template around the library's own constant WORKER_SOURCE" },
    { pattern: 'node: module', near: "`import('node:worker_threads').then", count: 1, reason: 'the same prelude' },
    { pattern: 'eval', near: 'new threads.Worker(code, { eval: true })', count: 1, reason: "Node's worker_threads run the library's own embedded Worker script (WORKER_SOURCE, a constant; never input) from a string" },
    { pattern: 'Worker', near: 'new threads.Worker(code, { eval: true })', count: 1, reason: 'the same Node selection Worker' },
    { pattern: 'Worker', near: 'new globals.Worker(workerScriptUrl(blobUrl)', count: 1, reason: 'selection Workers in browsers and Deno, from a Blob URL of the same constant script (a page needs worker-src blob:)' },
    { pattern: 'eval', near: "pool's eval prelude", count: 1, reason: 'a comment in the embedded Worker script' },
  ],
  'worker source': [
    { pattern: 'eval', near: "pool's eval prelude", count: 1, reason: 'a comment' },
  ],
  'adacore-tf.mjs': [
    { pattern: 'Function', near: '@returns Function (buffer: Uint16Array)', count: 1, reason: 'a doc comment' },
    { pattern: 'fetch', near: "tf.util.fetch('https://cdn.jsdelivr.net", count: 1, reason: 'a doc comment' },
    { pattern: 'fetch', near: 'return env().platform.fetch(path, requestInits)', count: 1, reason: "tfjs's util.fetch, the platform's fetch; adacore's only use is the wasm binary, which src/tf/wasm-binary.ts answers without fetching" },
    { pattern: 'fetch', near: 'fetch(path, init) {', count: 1, reason: "tfjs's browser platform's fetch method, reached only through the platform's fetch above" },
    { pattern: 'fetch', near: 'return fetch(path, init);', count: 1, reason: 'the same method calling the global fetch' },
    { pattern: 'fetch', near: 'fetch(p, i) { return globalThis.fetch(p, i); }', count: 2, reason: "the Node platform adacore's rollup patch puts in (rollup.config.mjs), the same" },
    { pattern: 'fetch', near: 'const response = await this.fetch(this.path, init)', count: 1, reason: `tf.io.http: ${TFJS_IO}` },
    { pattern: 'fetch', near: 'const modelConfigRequest = await this.fetch(this.path', count: 1, reason: `tf.io.http: ${TFJS_IO}` },
    { pattern: 'fetch', near: 'return fetch(wasmBinaryFile,{credentials:"same-origin"})', count: 4, reason: EMSCRIPTEN_FETCH },
    { pattern: 'XMLHttpRequest', near: 'var xhr=new XMLHttpRequest;xhr.open("GET",url,', count: 4, reason: `${EMSCRIPTEN_FETCH}; Emscripten's file preloading is unused` },
    { pattern: 'importScripts', near: 'ENVIRONMENT_IS_WORKER=typeof importScripts=="function"', count: 2, reason: "Emscripten's feature test (typeof), not a call" },
    { pattern: 'importScripts', near: 'importScripts(e.data.urlOrBlob)', count: 1, reason: PTHREAD },
    { pattern: 'importScripts', near: 'importScripts(objectUrl)', count: 1, reason: PTHREAD },
    { pattern: 'importScripts', near: 'importScripts:function(f){(0,eval)(fs.readFileSync', count: 1, reason: PTHREAD },
    { pattern: 'eval', near: '(0,eval)(fs.readFileSync(f,"utf8")', count: 1, reason: PTHREAD },
    { pattern: 'require', near: 'var nodeWorkerThreads=require("worker_threads")', count: 1, reason: PTHREAD },
    { pattern: 'require', near: 'var fs=require("fs");Object.assign(global', count: 1, reason: PTHREAD },
    { pattern: 'file system', near: '(0,eval)(fs.readFileSync(f,"utf8")', count: 1, reason: PTHREAD },
    { pattern: 'file system', near: 'if(ENVIRONMENT_IS_NODE){fs.writeSync(2,text', count: 1, reason: PTHREAD },
    { pattern: 'Worker', near: 'worker=new Worker(pthreadMainJs)', count: 1, reason: PTHREAD },
    { pattern: 'require', near: "// var xor4096 = require('xor4096')", count: 1, reason: 'a comment (seedrandom)' },
    { pattern: 'require', near: "// var seedrandom = require('seedrandom')", count: 1, reason: 'a comment (seedrandom)' },
    { pattern: 'file system', near: 'from disk using fs.readFileSync', count: 1, reason: 'a doc comment (tf.io.weightsLoaderFactory)' },
    { pattern: 'file system', near: 'filePaths.map(filePath => fs.readFileSync(filePath)', count: 1, reason: 'a doc comment' },
    { pattern: 'file system', near: "fs.readFileSync('./my_model-weights_manifest')", count: 1, reason: 'a doc comment' },
    { pattern: 'browser storage and files', near: 'indexedDB', count: 6, reason: `tf.io.browserIndexedDB: ${TFJS_IO}` },
    { pattern: 'browser storage and files', near: 'localStorage', count: 6, reason: `tf.io.browserLocalStorage: ${TFJS_IO}` },
    { pattern: 'browser storage and files', near: 'FileReader', count: 2, reason: `tf.io.browserFiles: ${TFJS_IO}` },
  ],
  'adacore-tf-peer.mjs': [],
};

/** The selection Worker's script, as embedded in the core bundle. */
function workerSource(core: string): string {
  const literal = /const WORKER_SOURCE = ("(?:[^"\\]|\\.)*");/.exec(core);
  expect(literal, 'WORKER_SOURCE in dist/adacore.mjs').not.toBeNull();
  return JSON.parse(literal![1]);
}

function bundles(): Record<string, string> {
  const read = (name: string) => readFileSync(join(DIST, name), 'utf8');
  const found: Record<string, string> = { 'adacore.mjs': read('adacore.mjs'), 'adacore-tf.mjs': read('adacore-tf.mjs') };
  found['worker source'] = workerSource(found['adacore.mjs']);
  if (existsSync(join(DIST, 'adacore-tf-peer.mjs'))) found['adacore-tf-peer.mjs'] = read('adacore-tf-peer.mjs');
  return found;
}

describe('the bundles: every eval, Function, fetch, XHR, WebSocket, importScripts, require, node: and file access is accounted for', () => {
  const all = bundles();
  for (const [name, text] of Object.entries(all)) {
    it(`${name}: each occurrence is allowed, with its reason, and each allowance is used as often as it says`, () => {
      const allowed = ALLOWED[name];
      const used = allowed.map(() => 0);
      // where each allowance's text is: an occurrence inside one of these is explained by it
      const spans = allowed.map((a) => {
        const starts: number[] = [];
        for (let at = text.indexOf(a.near); at >= 0; at = text.indexOf(a.near, at + 1)) starts.push(at);
        return starts;
      });
      const unexplained: string[] = [];
      for (const [pattern, regex] of Object.entries(PATTERNS)) {
        for (const match of text.matchAll(regex)) {
          const entry = allowed.findIndex((a, i) => a.pattern === pattern && spans[i].some((at) => at <= match.index && match.index < at + a.near.length));
          if (entry >= 0) used[entry]++;
          else unexplained.push(`${pattern}: ...${text.slice(Math.max(0, match.index - 80), match.index + 80).replace(/\s+/g, ' ')}...`);
        }
      }
      expect(unexplained, 'occurrences no allowance explains').toEqual([]);
      expect(allowed.map((a, i) => `${a.pattern} near ${a.near}: ${used[i]}`)).toEqual(allowed.map((a) => `${a.pattern} near ${a.near}: ${a.count}`));
      for (const a of allowed) expect(a.reason.length, a.near).toBeGreaterThan(5);
    });
  }

  it('the bundles import nothing but each other (and tfjs-core, for the peer bundle)', () => {
    const imports = (text: string) => [...text.matchAll(/^(?:import|export)\b[^'"\n]*\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(imports(all['adacore.mjs'])).toEqual([]);
    expect(new Set(imports(all['adacore-tf.mjs']))).toEqual(new Set(['./adacore.mjs']));
    if (all['adacore-tf-peer.mjs']) expect(new Set(imports(all['adacore-tf-peer.mjs']))).toEqual(new Set(['./adacore.mjs', '@tensorflow/tfjs-core']));
  });
});

// Runs in a child process: the stubs and the module hook must be in place before the bundles load.
const CHILD = String.raw`
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import fs from 'node:fs';
import net from 'node:net';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
const report = { resolved: [], calls: [] };
// every module specifier resolved, with the module that asked (the hooks run on their own thread)
const { port1, port2 } = new MessageChannel();
port1.on('message', (m) => report.resolved.push(m));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(
  'let port; export function initialize(data) { port = data.port; }' +
  'export async function resolve(specifier, context, next) { port.postMessage({ specifier, parent: context.parentURL ?? null }); return next(specifier, context); }'),
  { data: { port: port2 }, transferList: [port2] });
const refuse = (what) => function () { report.calls.push(what); throw new Error(what + ' is refused in this test'); };
globalThis.fetch = refuse('fetch');
globalThis.eval = refuse('eval');
const RealFunction = Function;
globalThis.Function = new Proxy(RealFunction, { apply: refuse('Function()'), construct: refuse('new Function') });
for (const [name, module, key] of [['net.connect', net, 'connect'], ['net.createConnection', net, 'createConnection'], ['dns.lookup', dns, 'lookup'], ['http.request', http, 'request'], ['https.request', https, 'request'], ['http.get', http, 'get'], ['https.get', https, 'get']]) module[key] = refuse(name);
net.Socket.prototype.connect = refuse('Socket.connect');
const DIST = process.argv[2];
const core = await import(DIST + 'adacore.mjs');
const tfl = await import(DIST + 'adacore-tf.mjs');
// from here on, file-system calls are recorded (the bundles are loaded)
for (const key of ['readFileSync', 'readFile', 'openSync', 'open', 'writeFileSync', 'writeFile', 'createReadStream', 'createWriteStream', 'readdirSync', 'statSync']) {
  const original = fs[key];
  fs[key] = function (...args) { report.calls.push('fs.' + key + ' ' + String(args[0])); return original.apply(this, args); };
}
const results = {};
let state = 3;
const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const x = Float32Array.from({ length: 400 * 6 }, random);
const labels = Int32Array.from({ length: 400 }, (_, i) => i % 4);
results.threads1 = Array.from((await core.selectCoreset(x, { dim: 6, labels, budget: 20 })).indices);
results.threads2 = Array.from((await core.selectCoreset(x, { dim: 6, labels, budget: 20, threads: 2 })).indices);
for (const backend of ['wasm', 'cpu']) {
  const chosen = await tfl.initBackend([backend]);
  const tf = tfl.getTf();
  const features = tf.tensor2d(x.subarray(0, 200 * 6), [200, 6]);
  const logits = tf.matMul(features, tf.ones([6, 4]));
  const y = labels.subarray(0, 200);
  const batch = await tfl.lastLayer({ features, logits, labels: y });
  const W = tf.variable(tf.zeros([6, 4]));
  const xs = tf.tensor2d(x.subarray(0, 20 * 6), [20, 6]), ys = tf.tensor1d(y.subarray(0, 20), 'int32');
  const auto = await tfl.autogradCurvature({ params: [W], x: xs, y: ys, probes: 1,
    loss: ([w], xi, yi) => tf.neg(tf.sum(tf.mul(tf.oneHot(yi, 4).toFloat(), tf.logSoftmax(tf.matMul(xi, w))))) });
  const selection = await new core.AdaCoreSelector({ threads: 2 }).select(batch, { labels: y, fraction: 0.1 });
  const run = await tfl.train({ x: x.subarray(0, 200 * 6), y, dim: 6, model: 'softmax', method: 'adacore', epochs: 2, optimizer: 'sgd', batchSize: 5 });
  results[backend] = { backend: chosen.backend, dim: batch.dim, autogradDim: auto.dim, selected: selection.indices.length, trained: run.curve.length };
}
core.releaseWorkers();
console.log(JSON.stringify({ ...report, results }));
`;

describe('at run time (Node): no fetch, eval, Function, network or file access', () => {
  const dir = mkdtempSync(join(tmpdir(), 'adacore-security-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('selection on 1 and 2 threads, lastLayer, autograd, a selector and train() on wasm and cpu, with those stubbed out', () => {
    const script = join(dir, 'child.mjs');
    writeFileSync(script, CHILD);
    const r = spawnSync(process.execPath, [script, pathToFileURL(DIST).href], { encoding: 'utf8', timeout: 90_000 });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(report.calls).toEqual([]);
    expect(report.results.threads2).toEqual(report.results.threads1);
    expect(report.results.wasm).toEqual({ backend: 'wasm', dim: 28, autogradDim: 24, selected: 20, trained: 3 });
    expect(report.results.cpu).toMatchObject({ backend: 'cpu', dim: 28, autogradDim: 24 });
    // what the bundles asked the module loader for: each other, and node:worker_threads (threads: 2)
    const fromDist = report.resolved.filter((m: { parent: string | null }) => m.parent?.startsWith(pathToFileURL(DIST).href));
    expect(new Set(fromDist.map((m: { specifier: string }) => m.specifier))).toEqual(new Set(['./adacore.mjs', 'node:worker_threads']));
  });
});

/** A .npy file with `header` as its header dict (padded as NumPy pads it) and 2 x 2 float32 data. */
function npy(header: string, data = Float32Array.of(1, 2, 3, 4)): Uint8Array {
  const unpadded = 10 + header.length + 1;
  const text = header + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const bytes = new Uint8Array(10 + text.length + data.byteLength);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, text.length, true);
  bytes.set(new TextEncoder().encode(text), 10);
  bytes.set(new Uint8Array(data.buffer), 10 + text.length);
  return bytes;
}

describe('the .npy header parser evaluates nothing', () => {
  const plain = "'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)";

  /** Parse with eval and Function stubbed, and check that nothing leaked into globals or prototypes. */
  function parse(header: string): { data?: number[]; error?: string } {
    const called: string[] = [];
    const saved = { eval: globalThis.eval, Function: globalThis.Function };
    globalThis.eval = ((s: string) => { called.push(`eval ${s}`); throw new Error('eval'); }) as typeof eval;
    globalThis.Function = new Proxy(Function, { apply: () => { called.push('Function'); throw new Error('Function'); }, construct: () => { called.push('new Function'); throw new Error('Function'); } });
    try {
      const matrix = core.readNpyMatrix(npy(header));
      return { data: Array.from(matrix.data as Float32Array) };
    } catch (error) {
      expect(error, header).toBeInstanceOf(core.AdacoreError);
      return { error: (error as Error).message };
    } finally {
      Object.assign(globalThis, saved);
      expect(called, header).toEqual([]);
      for (const probe of [{}, [], Object.create(null) as object, () => 0]) {
        expect((probe as Record<string, unknown>).polluted, header).toBeUndefined();
      }
      expect((globalThis as Record<string, unknown>).pwned, header).toBeUndefined();
    }
  }

  it('a plain header parses (the test\'s own encoder is right)', () => {
    expect(parse(`{${plain}, }`)).toEqual({ data: [1, 2, 3, 4] });
  });

  it('Python expressions where values belong are refused', () => {
    for (const header of [
      "{'descr': __import__('os').system('touch /tmp/pwned'), 'fortran_order': False, 'shape': (2, 2), }",
      "{'descr': '<f4', 'fortran_order': eval('False'), 'shape': (2, 2), }",
      "{'descr': '<f4', 'fortran_order': not True, 'shape': (2, 2), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (int('2'), 2), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1+1, 2), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': __import__('sys') and (2, 2), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2e0, 2), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, -2), }",
      "{'descr': '|O', 'fortran_order': False, 'shape': (2, 2), }",
      "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 2), }",
      "{'descr': '<f4\\'); globalThis.pwned = 1; (\\'', 'fortran_order': False, 'shape': (2, 2), }",
      "__import__('os').system('touch /tmp/pwned')",
    ]) {
      const result = parse(header);
      expect(result.error, header).toBeDefined();
    }
    expect(existsSync('/tmp/pwned')).toBe(false);
  });

  it('JS code and __proto__ / constructor / prototype keys elsewhere in the dict are data: ignored, nothing runs or is polluted', () => {
    for (const extra of [
      "'x': globalThis.pwned = 1",
      "'x': (() => { globalThis.pwned = 1 })()",
      "'x': constructor.constructor('globalThis.pwned = 1')()",
      "'x': `${globalThis.pwned = 1}`",
      "'__proto__': {'polluted': 'yes'}",
      "'constructor': {'prototype': {'polluted': 'yes'}}",
      "'prototype': {'polluted': 'yes'}",
      '"__proto__": {"polluted": "yes", "descr": "|O"}',
      "'x': '</script><script>globalThis.pwned = 1</script>'",
    ]) {
      expect(parse(`{${plain}, ${extra}, }`), extra).toEqual({ data: [1, 2, 3, 4] });
      expect(parse(`{${extra}, ${plain}, }`).error ?? 'parsed', extra).toMatch(/parsed|malformed|dtype/);
    }
  });

  it('the block reader (npyRowBlocks) parses headers the same way', async () => {
    const bytes = npy(`{${plain}, '__proto__': {'polluted': 1}, }`);
    const source = { size: bytes.length, read: async (offset: number, length: number) => bytes.subarray(offset, offset + length) };
    const stream = await core.npyRowBlocks(source, { rowsPerBlock: 1 });
    const rows: number[] = [];
    for await (const block of stream.blocks()) rows.push(...Array.from(block as Float32Array));
    expect(rows).toEqual([1, 2, 3, 4]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const evil = npy("{'descr': eval('<f4'), 'fortran_order': False, 'shape': (2, 2), }");
    await expect(core.npyRowBlocks({ size: evil.length, read: async (o: number, l: number) => evil.subarray(o, o + l) })).rejects.toBeInstanceOf(core.AdacoreError);
  });
});
