// Three ESM outputs from the TypeScript build (build/js): the runtime-neutral library with the
// kernels embedded, the Node CLI, and the tfjs layer (dist/adacore-tf.mjs, the "adacore/tf" export).
import { dirname, resolve, sep } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import { tfjsRuntimeNeutral } from './scripts/rollup/tfjs-runtime-neutral.mjs';

const BUILD = resolve('build/js');
const CORE_ERRORS = resolve(BUILD, 'errors.js');
const CORE_FACE = resolve(BUILD, 'index.js');
const CORE_ID = 'adacore:core';
/** What dist/adacore-tf.mjs bundles of the build: its face, the tfjs layer and the trainer. */
const TF_ROOMS = [resolve(BUILD, 'tf') + sep, resolve(BUILD, 'train') + sep];

/**
 * dist/adacore-tf.mjs reaches the core only through dist/adacore.mjs (its face, and
 * AdacoreError) instead of bundling a second copy, so that `instanceof AdacoreError` and the
 * kernels' state are shared by both bundles. Any other core module reached from src/tf.ts,
 * src/tf or src/train is a build error: it would be duplicated.
 */
const shareCore = {
  name: 'adacore-share-core',
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.')) return null;
    const target = resolve(dirname(importer), source);
    if (!target.startsWith(BUILD + sep)) return null;
    if (target === CORE_ERRORS || target === CORE_FACE) return { id: CORE_ID, external: true };
    const inside = TF_ROOMS.some((room) => target.startsWith(room));
    if (!inside) this.error(`dist/adacore-tf.mjs would bundle a copy of core module ${target} (imported by ${importer}); import it from src/index.ts (export it there)`);
    return null;
  },
};

/**
 * dist/cli.mjs takes the library from dist/adacore.mjs and dist/adacore-tf.mjs (their faces)
 * rather than bundling copies: one AdacoreError class and one kernel state in the process, and
 * tfjs loaded only by the commands that train. Any other module outside src/cli is a build error.
 */
const cliFaces = {
  name: 'adacore-cli-faces',
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.')) return null;
    const target = resolve(dirname(importer), source);
    if (!target.startsWith(BUILD + sep)) return null;
    if (target === CORE_FACE) return { id: './adacore.mjs', external: true };
    if (target === resolve(BUILD, 'tf.js')) return { id: './adacore-tf.mjs', external: true };
    if (!target.startsWith(resolve(BUILD, 'cli') + sep)) this.error(`dist/cli.mjs would bundle ${target} (imported by ${importer}); import it from src/index.ts or src/tf.ts`);
    return null;
  },
};

export default [
  {
    input: 'build/js/index.js',
    output: { file: 'dist/adacore.mjs', format: 'es', sourcemap: false },
    plugins: [nodeResolve()],
  },
  {
    input: 'build/js/cli/main.js',
    output: { file: 'dist/cli.mjs', format: 'es', sourcemap: false },
    external: [/^node:/, 'cli-progress'],
    plugins: [cliFaces, nodeResolve({ preferBuiltins: true })],
  },
  {
    input: 'build/js/tf.js',
    output: { file: 'dist/adacore-tf.mjs', format: 'es', sourcemap: false, inlineDynamicImports: true, paths: { [CORE_ID]: './adacore.mjs' } },
    plugins: [shareCore, tfjsRuntimeNeutral, nodeResolve({ browser: true, preferBuiltins: false }), commonjs()],
    onwarn(warning, warn) {
      if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
      warn(warning);
    },
  },
];
