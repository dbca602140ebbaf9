// The shared, runtime-neutral cases (test/shared/cases.ts) on Node, against the built bundle
// dist/adacore.mjs (run `npm run build` first). The same bodies run in Deno (test/deno/) and in
// Chromium, in the page and in a module Worker (test/browser/).
import { describe, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as adacore from '../../dist/adacore.mjs';
import { cases, type Lib } from '../shared/cases.ts';

const lib = adacore as unknown as Lib;

describe('dist/adacore.mjs on Node', () => {
  for (const c of cases(lib)) it(c.name, c.run);
});
