// The metric wire codes are written twice: in the kernels (assembly/metric.ts, exported as
// immutable globals) and in the host (src/select/options.ts METRIC_CODE). They must agree.
import { expect, it } from 'vitest';
import { instantiateKernels } from '../../src/kernels/wasm.js';
import { METRIC_CODE } from '../../src/select/options.js';

it("the host's METRIC_CODE equals the kernels' exported METRIC_* globals", async () => {
  const kernels = await instantiateKernels();
  expect({
    euclidean: kernels.METRIC_EUCLIDEAN.value,
    sqeuclidean: kernels.METRIC_SQEUCLIDEAN.value,
    cosine: kernels.METRIC_COSINE.value,
  }).toEqual(METRIC_CODE);
});
