// What a tfjs user's script prints with no adacore at all: the baseline for the warning check.
import * as tf from '@tensorflow/tfjs';
import { trainModel } from './tfjs-model.mjs';

const { model } = await trainModel(tf);
console.log(JSON.stringify({ layers: model.layers.length }));
