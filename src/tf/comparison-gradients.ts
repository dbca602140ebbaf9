// Comparisons are piecewise constant, but tfjs registers no gradient for them, so a second
// derivative through max (logSumExp, softmax cross-entropy losses) fails with "gradient function
// not found for Equal". Register the zero gradient where none exists. tfjs keeps its gradient
// registry in a global, so this also reaches a caller's tfjs in the same realm; nothing is
// overridden, and nothing is registered twice (so tfjs prints no "already registered" warning).
import type { TensorFlow } from './context.js';

const COMPARISONS = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual'];

export function registerComparisonGradients(tf: TensorFlow): void {
  for (const kernelName of COMPARISONS) {
    if (tf.getGradient(kernelName) != null) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => ({ a: () => tf.zerosLike(saved[0]), b: () => tf.zerosLike(saved[1]) }),
    });
  }
}
