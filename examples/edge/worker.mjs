// An edge Worker that prunes a dataset: POST { vectors: number[][], labels?: number[],
// fraction?: number } and get back the coreset's rows and weights. Runs in Cloudflare's workerd:
//   npm run build && npx workerd serve examples/edge/config.capnp
//   curl -s -X POST localhost:8787 -d '{"vectors":[[0,0],[0,1],[5,5],[5,6]],"fraction":0.5}'
// With wrangler, `import { selectCoreset } from 'adacore'` resolves to the same entry (the
// package's "workerd" export condition), which loads the kernels as a .wasm module.
import { AdacoreError, selectCoreset } from './adacore.workerd.mjs';

export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response('POST { vectors, labels?, fraction? } as JSON\n', { status: 405 });
    let body;
    try {
      body = await request.json();
    } catch {
      return Response.json({ error: 'the body is not JSON' }, { status: 400 });
    }
    try {
      const { vectors, labels, fraction = 0.1 } = body ?? {};
      const coreset = await selectCoreset(vectors, { labels, fraction });
      return Response.json({ indices: Array.from(coreset.indices), weights: Array.from(coreset.weights), cost: coreset.cost });
    } catch (error) {
      // bad input names the argument and the row; anything else is a server error
      if (error instanceof AdacoreError) return Response.json({ error: error.message, argument: error.argument }, { status: 400 });
      throw error;
    }
  },
};
