// A Cloudflare Worker importing the installed package; bundled with the "workerd" export
// condition (as wrangler does), which brings the kernels as a .wasm module.
import { selectCoreset } from 'adacore';
import { makeData, summary } from './shared-data.mjs';

export default {
  async fetch() {
    const { x, y, f } = makeData();
    const coreset = await selectCoreset(x, { dim: f, labels: y, fraction: 0.1 });
    return Response.json(summary(coreset));
  },
};
