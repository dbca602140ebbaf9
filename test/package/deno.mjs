// Deno, with no permissions: npm: specifiers resolved from the project's node_modules.
import { selectCoreset } from 'npm:adacore';
import { initBackend, softmaxCrossEntropy } from 'npm:adacore/tf';
import { makeData, summary } from './shared-data.mjs';

const { x, y, f } = makeData();
const coreset = await selectCoreset(x, { dim: f, labels: y, fraction: 0.1, threads: 2 });
const { backend } = await initBackend(['wasm', 'cpu']);
const logits = new Float32Array(y.length * 3).map((_, i) => x[i] - 0.5);
const batch = await softmaxCrossEntropy({ logits, labels: y });
console.log(JSON.stringify({ ...summary(coreset), backend, gradientRows: batch.rows, gradientDim: batch.dim }));
