// A tfjs user's first run with adacore/tf-peer: their own @tensorflow/tfjs (imported first, as
// users do), a Sequential model trained one epoch, last-layer gradients, an AdaCore coreset.
// Writes the features and logits it selected from, for the self-contained entry to redo.
import * as tf from '@tensorflow/tfjs';
import { lastLayer, getTf } from 'adacore/tf-peer';
import { AdaCoreSelector } from 'adacore';
import { writeFileSync } from 'node:fs';
import { trainModel } from './tfjs-model.mjs';
import { summary } from './shared-data.mjs';

const { features, logits, labels } = await trainModel(tf);
const before = tf.memory().numTensors;
const selector = new AdaCoreSelector({ source: () => lastLayer({ features, logits, labels }) });
const coreset = await selector.select({ labels, fraction: 0.1, seed: 7 });
writeFileSync('peer-inputs.json', JSON.stringify({ features: Array.from(await features.data()), logits: Array.from(await logits.data()), labels: Array.from(labels) }));
console.log(JSON.stringify({
  ...summary(coreset), backend: tf.getBackend(), sameEngine: getTf().engine() === tf.engine(),
  leaked: tf.memory().numTensors - before,
}));
