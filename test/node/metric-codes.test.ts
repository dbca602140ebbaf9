// The metric codes and the dense tile edge are written twice: in the kernels (assembly/metric.ts
// and assembly/dense.ts, exported as immutable globals) and in the host (src/select/metric.ts's
// descriptors, src/optimizers/dense-build.ts). They must agree.
import { expect, it } from 'vitest';
import { instantiateKernels } from '../../src/kernels/wasm.js';
import { DENSE_TILE } from '../../src/optimizers/dense-build.js';
import { METRIC_DESCRIPTORS, METRICS } from '../../src/select/metric.js';

it("every metric descriptor's code equals the kernels' exported METRIC_* global, and each kernel code has a descriptor", async () => {
  const kernels = await instantiateKernels() as unknown as Record<string, WebAssembly.Global | unknown>;
  const exported = Object.keys(kernels).filter((name) => name.startsWith('METRIC_'));
  expect(exported.sort()).toEqual(METRICS.map((m) => `METRIC_${m.toUpperCase()}`).sort());
  for (const metric of METRICS) {
    expect((kernels[`METRIC_${metric.toUpperCase()}`] as WebAssembly.Global).value, metric).toBe(METRIC_DESCRIPTORS[metric].code);
  }
});

it("the host's tile edge (DENSE_TILE, which splits a shared dense build) equals the kernels' exported TILE", async () => {
  const kernels = await instantiateKernels();
  expect(kernels.TILE.value).toBe(DENSE_TILE);
});
