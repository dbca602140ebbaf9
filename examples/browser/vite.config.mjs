// `npm run app` (vite examples/browser): serves this folder, the built library in ../../dist
// (imported by relative paths) and, as public files, the committed data in ../data.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repository = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './', // the built site (build/app) works from any folder
  publicDir: fileURLToPath(new URL('../data', import.meta.url)),
  server: { fs: { allow: [repository] } },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: fileURLToPath(new URL('../../build/app', import.meta.url)), emptyOutDir: true },
});
