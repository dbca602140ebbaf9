// Two ESM outputs from the TypeScript build (build/js): the runtime-neutral library,
// with the kernels embedded, and the Node CLI.
import { nodeResolve } from '@rollup/plugin-node-resolve';

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
    plugins: [nodeResolve({ preferBuiltins: true })],
  },
];
