// The edge test's Worker (see test/node/edge.test.ts): POST the slice's files as JSON, get
// every case's result back as JSON. It imports adacore the way an edge bundle does: the
// "workerd" entry, with the kernels as a .wasm module.
import * as tfl from './adacore-tf.mjs';
import * as lib from './adacore.workerd.mjs';
import { runEdgeCases } from './cases.mjs';

export default {
  async fetch(request) {
    const input = await request.json();
    const threads = (await lib.selectCoreset(new Float32Array([0, 1, 2, 3]), { dim: 1, budget: 2, labels: [0, 0, 1, 1], threads: 2 })).threads;
    // the default order: no WebGPU here, and wasm must be skipped at once (no run-time compiling)
    const tfBackend = await tfl.initBackend();
    return Response.json({
      runtime: navigator.userAgent, workersAvailable: lib.workersAvailable(), threads, tfBackend,
      results: await runEdgeCases(lib, input, tfl),
    });
  },
};
