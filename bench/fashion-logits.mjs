// Shared by the benchmarks: Fashion-MNIST's 60,000 training images (Debian's
// dataset-fashion-mnist), a softmax-regression model trained one epoch on them
// (adacore's trainSoftmaxRegression), and its logits: the model outputs a selection round starts from.
import { readFileSync } from 'node:fs';
import { readIdxLabels, readIdxMatrix } from '../dist/adacore.mjs';
import { softmaxLogits, trainSoftmaxRegression } from '../dist/adacore-tf.mjs';

export const FASHION = '/usr/share/datasets/fashion-mnist';
export const CLASSES = 10;

export async function fashionLogits() {
  const images = await readIdxMatrix(readFileSync(`${FASHION}/train-images-idx3-ubyte.gz`), { scale: 1 / 255 });
  const labels = await readIdxLabels(readFileSync(`${FASHION}/train-labels-idx1-ubyte.gz`));
  const model = trainSoftmaxRegression(images, labels, CLASSES);
  const logits = softmaxLogits(model, images);
  let correct = 0;
  for (let i = 0; i < images.rows; i++) {
    const row = logits.subarray(i * CLASSES, (i + 1) * CLASSES);
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (row[c] > row[best]) best = c;
    if (best === labels[i]) correct++;
  }
  return { logits, labels, rows: images.rows, trainingAccuracy: correct / images.rows };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const round = (x, digits = 4) => Number(x.toPrecision(digits));
