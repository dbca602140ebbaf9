// The layout's rules (docs/architecture.md), checked on the source: imports run only down the
// layers, there are no import cycles, files stay small, and comments cite only documents that
// are in the repository.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');

/**
 * Each room of src/ and its layer, top (highest) to bottom, as docs/architecture.md draws them.
 * A file may import from its own room or from a room of a lower layer, never upward or
 * sideways into another room of the same layer.
 */
const LAYERS: Record<string, number> = {
  cli: 11,
  'tf.ts': 10,
  'distributed.ts': 10,
  train: 9,
  distributed: 9,
  'index.ts': 8,
  tf: 7,
  selectors: 6,
  coreset: 5,
  reference: 5,
  options: 4,
  optimizers: 3,
  parallel: 3,
  select: 2,
  quality: 3,
  kernels: 1,
  io: 1,
  'errors.ts': 0,
};

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : ext.test(name) ? [path] : [];
  });
}

const GENERATED = /kernels-bytes\.ts$|tfjs-wasm-bytes\.ts$/;
const sources = files(SRC, /\.ts$/).filter((f) => !GENERATED.test(f));
const roomOf = (file: string) => relative(SRC, file).split('/')[0];

/** Every relative module a file imports or re-exports (type-only ones too), resolved to a .ts file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)]
    .map((m) => m[1] ?? m[2]).filter((s) => s.startsWith('.'));
  return specifiers.map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
}

describe('architecture', () => {
  it('every room of src/ has a layer', () => {
    const rooms = [...new Set(sources.map(roomOf))];
    expect(rooms.filter((room) => !(room in LAYERS))).toEqual([]);
  });

  it('imports run down the layers: never up, never sideways into another room of the same layer', () => {
    const wrong: string[] = [];
    for (const file of sources) {
      const from = roomOf(file);
      for (const target of importsOf(file)) {
        expect(existsSync(target) || GENERATED.test(target), `${relative(ROOT, file)} imports a missing ${relative(ROOT, target)}`).toBe(true);
        const to = roomOf(target);
        if (to === from) continue;
        if (LAYERS[to] > LAYERS[from] || (LAYERS[to] === LAYERS[from])) wrong.push(`${relative(ROOT, file)} -> ${relative(ROOT, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the adacore/tf bundle (src/tf.ts, tf/, train/) reaches the core only through its face (src/index.ts) or errors.ts', () => {
    const inBundle = (file: string) => ['tf.ts', 'tf', 'train'].includes(roomOf(file));
    const wrong: string[] = [];
    for (const file of sources.filter(inBundle)) {
      const text = readFileSync(file, 'utf8');
      // type-only imports leave no code behind: only value imports would bundle a second copy
      for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s+)?[^;'"]*?from\s+'([^']+)'/g)) {
        if (m[2] || !m[3].startsWith('.')) continue;
        const target = resolve(dirname(file), m[3]).replace(/\.js$/, '.ts');
        if (inBundle(target) || GENERATED.test(target)) continue;
        if (!['index.ts', 'errors.ts'].includes(relative(SRC, target))) wrong.push(`${relative(ROOT, file)} -> ${relative(ROOT, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no import cycles between files', () => {
    const graph = new Map(sources.map((file) => [file, importsOf(file).filter((t) => !GENERATED.test(t))]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of sources) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('source files stay small: none over 400 lines (src/, assembly/, scripts/, bench/, test/shared/)', () => {
    const checked = [
      ...sources, ...files(join(ROOT, 'assembly'), /\.ts$/), ...files(join(ROOT, 'scripts'), /\.(mjs|sh)$/),
      ...files(join(ROOT, 'bench'), /\.mjs$/), ...files(join(ROOT, 'test/shared'), /\.ts$/),
    ];
    const long = checked.map((f) => [relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });

  it('documents cited in code and docs exist in the repository; none of the team notes outside it is cited', () => {
    const cited = [
      ...sources, ...files(join(ROOT, 'assembly'), /\.ts$/), ...files(join(ROOT, 'scripts'), /\.(mjs|sh)$/),
      ...files(join(ROOT, 'bench'), /\.mjs$/), ...files(join(ROOT, 'test'), /\.(ts|mjs)$/), ...files(join(ROOT, 'examples'), /\.(mjs|ts|js|html)$/),
      ...files(join(ROOT, 'docs'), /\.md$/), join(ROOT, 'README.md'), join(ROOT, 'rollup.config.mjs'),
    ].filter((f) => !/test\/fixtures\//.test(f));
    const missing: string[] = [];
    const outside: string[] = [];
    for (const file of cited) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bdocs\/([\w-]+\.md)/g)) if (!existsSync(join(ROOT, 'docs', m[1]))) missing.push(`${relative(ROOT, file)}: docs/${m[1]}`);
      for (const m of text.matchAll(/\b(ALGORITHMS|PLATFORM|PEERS|BENCHMARKS|TRAINING|SCALE|DESIGN)\.md\b/g)) outside.push(`${relative(ROOT, file)}: ${m[0]}`);
    }
    expect(missing).toEqual([]);
    expect(outside).toEqual([]);
  });
});
