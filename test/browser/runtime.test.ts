// The shared, runtime-neutral cases (test/shared/cases.ts) in Chromium: first in the page, then
// in a module Worker (test/browser/worker.ts), against the built bundle dist/adacore.mjs.
import { describe, it } from 'vitest';
// @ts-ignore: the bundle is plain JS; its types live in dist/types
import * as adacore from '../../dist/adacore.mjs';
import { cases, type Lib } from '../shared/cases.ts';
import { describeInWorker } from './harness.ts';

const lib = adacore as unknown as Lib;
const all = cases(lib);

describe('dist/adacore.mjs in the Chromium page', () => {
  for (const c of all) it(c.name, c.run);
});

describeInWorker('dist/adacore.mjs in a Chromium module Worker', new URL('./worker.ts', import.meta.url), all);
