// Cases run both in Cloudflare's workerd (worker.mjs, against dist/adacore.workerd.mjs, whose
// kernels come from a .wasm module import, and dist/adacore-tf.mjs) and in Node
// (test/node/edge.test.ts, against dist/adacore.mjs): each returns plain JSON, and the two
// runtimes must return the same.
// `input` holds the committed Fashion-MNIST slice's gzipped IDX files as base64.

/** Each case: a name and a function (lib, input, tfl) -> JSON-able result (tfl: adacore/tf). */
export const edgeCases = [
  ['Fashion slice, 10 % per class, lazy greedy', async (lib, input) => {
    const { images, labels } = await fashion(lib, input);
    return coreset(await lib.selectCoreset(images.data, { dim: images.dim, labels, fraction: 0.1 }));
  }],
  ['Fashion slice, partitioned with threads: 2 (no Workers on the edge: one thread, the same picks)', async (lib, input) => {
    const { images, labels } = await fashion(lib, input);
    const result = await lib.selectCoreset(images.data, { dim: images.dim, labels, fraction: 0.1, optimizer: 'partitioned', partitionSize: 64, threads: 2 });
    // the picks do not depend on the thread count; the count itself is the runtime's
    return { ...coreset(result), threads: undefined };
  }],
  ['Fashion slice, stochastic greedy with a seed, no labels, sqeuclidean', async (lib, input) => {
    const { images } = await fashion(lib, input);
    return coreset(await lib.selectCoreset(images.data, { dim: images.dim, budget: 50, optimizer: 'stochastic', seed: 7, metric: 'sqeuclidean' }));
  }],
  ['AdaCore selector, two rounds on softmax gradients of pixel-block logits', async (lib, input) => {
    const { images, labels } = await fashion(lib, input);
    const selector = new lib.AdaCoreSelector();
    const rounds = [];
    for (const scale of [1, 1.5]) {
      const batch = lib.softmaxCrossEntropyFromLogits(blockLogits(images, scale), images.rows, 10, labels);
      rounds.push(coreset(await selector.select(batch, { labels, fraction: 0.1 })));
    }
    return rounds;
  }],
  ['adacore/tf: softmax cross-entropy on the active backend (cpu in both runtimes), then an AdaCore round', async (lib, input, tfl) => {
    const { images, labels } = await fashion(lib, input);
    const batch = await tfl.softmaxCrossEntropy({ logits: blockLogits(images, 1), labels });
    const round = await new lib.AdaCoreSelector().select(batch, { labels, fraction: 0.1 });
    return {
      backend: batch.backend, gradients: Array.from(batch.gradients.subarray(0, 30)),
      hessianDiagonals: Array.from(batch.hessianDiagonals.subarray(0, 30)), round: coreset(round),
    };
  }],
  ['bad input: a NaN row, labels of the wrong length, a kernel module that is not one', async (lib) => {
    const x = new Float32Array(40).fill(1);
    x[17] = NaN;
    return [
      await errorOf(() => lib.selectCoreset(x, { dim: 4, budget: 2 })),
      await errorOf(() => lib.selectCoreset(new Float32Array(40), { dim: 4, budget: 2, labels: [0, 1] })),
      await errorOf(() => lib.useKernelModule(new Uint8Array(8))),
    ];
  }],
];

async function fashion(lib, input) {
  const images = await lib.readIdxMatrix(fromBase64(input.images), { scale: 1 / 255 });
  const labels = await lib.readIdxLabels(fromBase64(input.labels));
  return { images, labels };
}

/** rows x 10 logits: scaled means of ten pixel blocks (deterministic, class-dependent). */
function blockLogits(images, scale) {
  const logits = new Float32Array(images.rows * 10);
  const block = Math.floor(images.dim / 10);
  for (let i = 0; i < images.rows; i++) {
    for (let c = 0; c < 10; c++) {
      let sum = 0;
      for (let j = c * block; j < (c + 1) * block; j++) sum += images.data[i * images.dim + j];
      logits[i * 10 + c] = (scale * 8 * sum) / block;
    }
  }
  return logits;
}

function coreset(result) {
  return {
    indices: Array.from(result.indices), weights: Array.from(result.weights), gains: Array.from(result.gains),
    cost: result.cost, path: result.path, threads: result.threads, evaluations: result.evaluations,
  };
}

async function errorOf(call) {
  try {
    await call();
    return { error: 'none' };
  } catch (e) {
    return { name: e?.name, argument: e?.argument, message: e?.message };
  }
}

export function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export async function runEdgeCases(lib, input, tfl) {
  const results = {};
  for (const [name, run] of edgeCases) {
    try {
      results[name] = await run(lib, input, tfl);
    } catch (e) {
      results[name] = { failed: `${e?.name}: ${e?.message}` };
    }
  }
  return results;
}
