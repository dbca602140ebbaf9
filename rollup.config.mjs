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
 * A plugin for a bundle that reaches other bundles only through their faces: an import of a
 * face (a build/js path in `faces`) becomes the external dist file it names; any other module
 * outside `room` is a build error (it would be bundled a second time).
 */
function facesOnly(bundle, room, faces, hint) {
  return {
    name: `adacore-faces-${bundle}`,
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.')) return null;
      const target = resolve(dirname(importer), source);
      if (!target.startsWith(BUILD + sep)) return null;
      if (faces[target] !== undefined) return { id: faces[target], external: true };
      if (!target.startsWith(resolve(BUILD, room) + sep)) this.error(`${bundle} would bundle ${target} (imported by ${importer}); ${hint}`);
      return null;
    },
  };
}

/**
 * dist/cli.mjs takes the library from dist/adacore.mjs, dist/adacore-tf.mjs and
 * dist/adacore-distributed.mjs (their faces) rather than bundling copies: one AdacoreError
 * class and one kernel state in the process, and tfjs, bullmq and ioredis loaded only by the
 * commands that need them.
 */
const cliFaces = facesOnly('dist/cli.mjs', 'cli', {
  [CORE_FACE]: './adacore.mjs', [resolve(BUILD, 'tf.js')]: './adacore-tf.mjs', [resolve(BUILD, 'distributed.js')]: './adacore-distributed.mjs',
}, 'import it from src/index.ts, src/tf.ts or src/distributed.ts');

/**
 * dist/adacore-distributed.mjs and its job thread take the core from dist/adacore.mjs (one
 * kernel state per thread, one AdacoreError) and leave bullmq and ioredis to the caller.
 */
const distributedFace = facesOnly('dist/adacore-distributed.mjs', 'distributed', { [CORE_FACE]: './adacore.mjs' }, 'import it from src/index.ts');
/**
 * dist/adacore-tf-peer.mjs is dist/adacore-tf.mjs with the caller's tfjs: the same modules, but
 * tf/tfjs-bundled.js (tfjs-core, its gradients and three backends, bundled) is replaced by
 * tf/tfjs-peer.js, which imports @tensorflow/tfjs-core as an external peer dependency.
 */
const BUNDLED_TFJS = resolve(BUILD, 'tf', 'tfjs-bundled.js');
const peerTfjs = {
  name: 'adacore-peer-tfjs',
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.')) return null;
    return resolve(dirname(importer), source) === BUNDLED_TFJS ? resolve(BUILD, 'tf', 'tfjs-peer.js') : null;
  },
};

const DISTRIBUTED_EXTERNAL = [/^node:/, 'bullmq', 'ioredis'];

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
  {
    input: 'build/js/tf.js',
    output: { file: 'dist/adacore-tf-peer.mjs', format: 'es', sourcemap: false, paths: { [CORE_ID]: './adacore.mjs' } },
    external: ['@tensorflow/tfjs-core'],
    plugins: [peerTfjs, shareCore],
  },
  {
    input: 'build/js/distributed.js',
    output: { file: 'dist/adacore-distributed.mjs', format: 'es', sourcemap: false },
    external: DISTRIBUTED_EXTERNAL,
    plugins: [distributedFace],
  },
  {
    input: 'build/js/distributed/thread-main.js',
    output: { file: 'dist/adacore-distributed-thread.mjs', format: 'es', sourcemap: false },
    external: DISTRIBUTED_EXTERNAL,
    plugins: [distributedFace],
  },
];
