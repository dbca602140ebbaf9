// The entry for edge runtimes that forbid compiling WebAssembly at run time (Cloudflare
// workerd; docs/platform.md, section 3): dist/kernels.wasm next to the bundle, and
// dist/adacore.workerd.mjs, which imports it as a module (the runtime compiles it at deploy
// time) and hands it to the library before anything selects. package.json's "workerd"
// export condition points there, so `import { selectCoreset } from 'adacore'` works in a
// Worker bundled by wrangler.
//   node scripts/edge-entry.mjs build/kernels.wasm dist
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [wasm, outDir] = process.argv.slice(2);
if (!wasm || !outDir) throw new Error('usage: node scripts/edge-entry.mjs build/kernels.wasm dist');
mkdirSync(outDir, { recursive: true });
copyFileSync(wasm, join(outDir, 'kernels.wasm'));
writeFileSync(join(outDir, 'adacore.workerd.mjs'), `// adacore for edge runtimes that compile WebAssembly only at deploy time (Cloudflare workerd):
// the kernels come from a .wasm module import instead of bytes compiled at run time.
import kernels from './kernels.wasm';
import { useKernelModule } from './adacore.mjs';

useKernelModule(kernels);

export * from './adacore.mjs';
`);
console.log(`wrote ${join(outDir, 'kernels.wasm')} and ${join(outDir, 'adacore.workerd.mjs')}`);
