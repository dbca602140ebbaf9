// Fashion-MNIST's 60,000 training images projected to `dim` dimensions by a seeded Gaussian
// matrix (bench/scale.mjs and bench/distributed.mjs repeat them with noise to any size).
// Returns the projected rows and the seeded normal generator, which goes on to draw the noise.
import { readFileSync } from 'node:fs';

export async function projectedFashion(lib, dim, seed) {
  const images = await lib.readIdxMatrix(readFileSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'), { scale: 1 / 255 });
  const random = lib.mulberry32(seed);
  const uniform = () => (random() + 0.5) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const projection = Float64Array.from({ length: images.dim * dim }, () => normal() / Math.sqrt(dim));
  const base = new Float32Array(images.rows * dim);
  for (let i = 0; i < images.rows; i++) {
    for (let j = 0; j < images.dim; j++) {
      const v = images.data[i * images.dim + j];
      if (v !== 0) for (let c = 0; c < dim; c++) base[i * dim + c] += v * projection[j * dim + c];
    }
  }
  return { base, rows: images.rows, normal };
}
