// The training Worker: train() from adacore/tf on the wasm backend (cpu where wasm fails), the
// runs one after another so that they do not share the cores, each test-accuracy point posted
// as it is measured. The page cancels by terminating this Worker (a training step does not
// return to the event loop, so a message would wait for the end).
import { initBackend, learningCurveChart, train } from '../../dist/adacore-tf.mjs';
import { runOptions, trainTestSplit } from './pipeline.js';

const NAMES = { full: 'full data', random: 'random subset', adacore: 'AdaCore coreset', craig: 'CRAIG coreset' };

self.onmessage = async ({ data: { dataset, params } }) => {
  try {
    const { backend } = await initBackend(['wasm', 'cpu']);
    const split = trainTestSplit(dataset);
    const trainRows = split.y.length;
    self.postMessage({ type: 'start', backend, trainRows, testRows: split.yTest.length });
    const results = [];
    let target;
    for (const method of params.runs) {
      const options = runOptions(method, { ...params, trainRows });
      self.postMessage({ type: 'run', method, options });
      const result = await train({
        ...options, ...split, dim: dataset.dim, ...(target === undefined ? {} : { targetAccuracy: target }),
        callbacks: {
          onEpochEnd: (point) => self.postMessage({ type: 'point', method, point }),
          onSelection: (info) => self.postMessage({ type: 'selection', method, info }),
        },
      });
      // the target, as the demo defines it: the full run's final test accuracy minus one point
      if (method === 'full') target = result.finalTestAccuracy - 0.01;
      const secondsToTarget = method === 'full' ? result.curve.find((p) => p.testAccuracy >= target)?.seconds ?? null : result.secondsToTarget ?? null;
      results.push({ method, label: NAMES[method], curve: result.curve, secondsToTarget });
      self.postMessage({
        type: 'done', method, target, secondsToTarget, curve: result.curve, finalTestAccuracy: result.finalTestAccuracy,
        selectionSeconds: result.selectionSeconds, totalSeconds: result.totalSeconds, steps: result.steps, backend: result.backend,
      });
    }
    const chart = learningCurveChart(results, {
      title: `${dataset.name}: ${params.model === 'mlp' ? 'MLP' : 'softmax regression'}, ${params.optimizer}`, targetAccuracy: target,
      subtitle: `${trainRows} training rows, ${Math.round(params.fraction * 100)} % subsets, seconds include selection (${backend} backend, in the browser)`,
    });
    self.postMessage({ type: 'finished', target, chart });
  } catch (error) {
    self.postMessage({ type: 'error', error: String(error?.message ?? error) });
  }
};
