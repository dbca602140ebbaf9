// Whether a tfjs engine can differentiate through ops whose gradient reads their own output
// (exp, sigmoid, tanh, softmax, ...) a second time. Stock tfjs 4.22 cannot; the engine bundled in
// adacore/tf is patched to (rollup.config.mjs marks it with adacoreHigherOrderGradients).
import type { TensorFlow } from './context.js';

export function higherOrderFixed(tf: TensorFlow): boolean {
  return (tf.engine() as unknown as { adacoreHigherOrderGradients?: boolean }).adacoreHigherOrderGradients === true;
}

/** What to tell a caller whose second derivative failed on an engine without the fix. */
export const HIGHER_ORDER_HINT = "this tfjs engine lacks adacore's fix for second derivatives through exp, sigmoid, "
  + 'softmax and the like (stock tfjs, as adacore/tf-peer uses it, has not got it): the self-contained adacore/tf carries '
  + 'the fix, in the engine that every tfjs copy loaded after it shares';
