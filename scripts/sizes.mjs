// Bundle sizes as users download them: each dist entry (raw and gzip -9) and the npm tarball.
//   npm run build && node scripts/sizes.mjs      (prints JSON)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const ENTRIES = {
  'adacore (core, kernels embedded)': 'dist/adacore.mjs',
  'adacore/tf (tfjs 4.22 bundled: core, gradients, cpu, wasm, webgpu)': 'dist/adacore-tf.mjs',
  'adacore/tf-peer (the caller\'s tfjs)': 'dist/adacore-tf-peer.mjs',
  'adacore/distributed': 'dist/adacore-distributed.mjs',
  'workerd kernels (dist/kernels.wasm)': 'dist/kernels.wasm',
  'CLI (dist/cli.mjs)': 'dist/cli.mjs',
};

const kib = (bytes) => Math.round(bytes / 102.4) / 10;
const bundles = Object.entries(ENTRIES).map(([entry, file]) => {
  const bytes = readFileSync(file);
  return { entry, file, kib: kib(bytes.length), gzipKib: kib(gzipSync(bytes, { level: 9 }).length) };
});
const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
console.log(JSON.stringify({ bundles, tarball: { files: pack.entryCount, kib: kib(pack.size), unpackedKib: kib(pack.unpackedSize) } }, null, 2));
