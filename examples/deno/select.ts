// adacore in Deno: the same ESM file as in Node, and the library itself needs no permissions
// (its WebAssembly is embedded). Reading the data file needs --allow-read:
//
//   npm run build
//   deno run --allow-read examples/deno/select.ts examples/data/fashion-mnist-slice
import { readIdxLabels, readIdxMatrix, selectCoreset } from '../../dist/adacore.mjs';

const dir = Deno.args[0] ?? 'examples/data/fashion-mnist-slice';
const images = await readIdxMatrix(await Deno.readFile(`${dir}/train-images-idx3-ubyte.gz`), { scale: 1 / 255 });
const labels = await readIdxLabels(await Deno.readFile(`${dir}/train-labels-idx1-ubyte.gz`));

const coreset = await selectCoreset(images.data, { dim: images.dim, labels, fraction: 0.1 });
console.log(`selected ${coreset.budget} of ${images.rows} images in ${coreset.seconds.toFixed(2)} s (${coreset.path})`);
console.log('first picks:', Array.from(coreset.indices.subarray(0, 10)), 'weights:', Array.from(coreset.weights.subarray(0, 10)));
