// A module Worker that selects coresets off the main thread. Post it
// { vectors: Float32Array, dim, labels?, fraction }, get back the coreset (or { error }).
import { selectCoreset } from '../../dist/adacore.mjs';

self.onmessage = async ({ data }) => {
  try {
    const coreset = await selectCoreset(data.vectors, {
      dim: data.dim, labels: data.labels, fraction: data.fraction,
      onProgress: (progress) => self.postMessage({ progress }),
    });
    self.postMessage({ coreset }, [coreset.indices.buffer, coreset.weights.buffer, coreset.gains.buffer]);
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error) });
  }
};
