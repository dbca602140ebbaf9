// The selection Worker's code as one classic script (no imports), so that it starts from a
// string: a Blob URL in browsers and Deno, `eval` in Node's worker_threads, with no file, fetch
// or permission. This placeholder is what type-checks; scripts/embed-worker.mjs bundles
// src/coreset/worker-main.ts and writes the real string into build/js before rollup runs.
export const WORKER_SOURCE: string = '';
