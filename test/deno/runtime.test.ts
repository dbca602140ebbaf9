// The shared, runtime-neutral cases (test/shared/cases.ts) on Deno, against the built bundle
// dist/adacore.mjs (run `npm run build` first). Needs no permissions: the wasm is embedded in
// the bundle and the Fashion-MNIST slice is a JS module.
//   DENO_DIR=$(mktemp -d) npx deno test --config test/deno/deno.json test/deno/
import * as adacore from '../../dist/adacore.mjs';
import { cases, type Lib } from '../shared/cases.ts';

const lib = adacore as unknown as Lib;

for (const c of cases(lib)) Deno.test(c.name, c.run);
