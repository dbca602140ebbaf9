// A browser page bundled by vite from the installed package: the core in the page with its
// Workers (threads 2), and the self-contained tfjs layer's gradients on wasm.
import { selectCoreset } from 'adacore';
import { initBackend, softmaxCrossEntropy } from 'adacore/tf';
import { makeData, summary } from '../shared-data.mjs';

const out = document.getElementById('out');
try {
  const { x, y, f } = makeData();
  const coreset = await selectCoreset(x, { dim: f, labels: y, fraction: 0.1, threads: 2 });
  const { backend } = await initBackend(['wasm', 'cpu']);
  const logits = new Float32Array(y.length * 3).map((_, i) => x[i] - 0.5);
  const batch = await softmaxCrossEntropy({ logits, labels: y });
  out.textContent = JSON.stringify({ ...summary(coreset), backend, gradientRows: batch.rows, gradientDim: batch.dim });
} catch (error) {
  out.textContent = JSON.stringify({ error: String(error?.message ?? error) });
}
