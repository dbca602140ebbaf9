// The self-contained adacore/tf (its own tfjs, no @tensorflow/tfjs imported) on the same inputs
// as tfjs-peer.mjs, on the same backend (cpu): the coreset must be the same.
import { initBackend, lastLayer } from 'adacore/tf';
import { AdaCoreSelector } from 'adacore';
import { readFileSync } from 'node:fs';
import { summary } from './shared-data.mjs';

const inputs = JSON.parse(readFileSync('peer-inputs.json', 'utf8'));
await initBackend(['cpu']);
const labels = Int32Array.from(inputs.labels);
const features = Float32Array.from(inputs.features);
const logits = Float32Array.from(inputs.logits);
const selector = new AdaCoreSelector({ source: () => lastLayer({ features, logits, labels }) });
console.log(JSON.stringify(summary(await selector.select({ labels, fraction: 0.1, seed: 7 }))));
