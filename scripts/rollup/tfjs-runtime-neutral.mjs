// The rollup plugin that patches tfjs 4.22.0 into a runtime-neutral bundle (dist/adacore-tf.mjs),
// used by rollup.config.mjs.
import { sep } from 'node:path';

/**
 * Makes tfjs runtime-neutral (docs/platform.md, section 6): tfjs-core's Node platform requires 'util'
 * and node-fetch, and Emscripten's Node branch reads the .wasm with fs and __dirname; without
 * these patches Node and Deno throw `require is not defined`. The third fixes higher-order
 * gradients in tfjs's engine (see below); the fourth drops backend-cpu's "install tfjs-node"
 * banner, which does not apply to this bundle. Each patch fails the build if
 * its target changed (a tfjs version other than 4.22.0).
 */
function patch(code, id, pattern, replacement) {
  const out = code.replace(pattern, replacement);
  if (out === code) throw new Error(`tfjs-runtime-neutral: the patch target ${pattern} is gone from ${id}; re-check the patch for this tfjs version`);
  return out;
}
export const tfjsRuntimeNeutral = {
  name: 'tfjs-runtime-neutral',
  transform(code, id) {
    const path = id.split(sep).join('/');
    if (path.endsWith('tfjs-core/dist/platforms/platform_node.js')) {
      return `import { env } from '../environment';
export const getNodeFetch = { importFetch: () => globalThis.fetch };
export function resetSystemFetch() {}
export function setSystemFetch() {}
export function getSystemFetch() { return globalThis.fetch; }
export class PlatformNode {
  fetch(p, i) { return globalThis.fetch(p, i); }
  now() { return performance.now(); }
  encode(t, e) { return new TextEncoder().encode(t); }
  decode(b, e) { return b.length === 0 ? '' : new TextDecoder(e).decode(b); }
  isTypedArray(a) { return a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray; }
  setTimeoutCustom(f, d) { setTimeout(f, d); }
}
if (env().get('IS_NODE') && !env().get('IS_BROWSER')) env().setPlatform('node', new PlatformNode());
`;
    }
    if (/tfjs-backend-wasm\/wasm-out\/tfjs-backend-wasm(-threaded-simd)?\.js$/.test(path)) {
      return patch(code, id,
        /ENVIRONMENT_IS_NODE=typeof process=="object"&&typeof process\.versions=="object"&&typeof process\.versions\.node=="string"/g,
        'ENVIRONMENT_IS_NODE=false');
    }
    if (path.endsWith('tfjs-core/dist/engine.js')) {
      // Higher-order gradients through ops whose gradient reads a saved output (exp, sigmoid,
      // tanh, softmax, logSoftmax, sqrt, ...): tfjs saves tensors as clones whose tape nodes are
      // recorded before the op's own node, so a clone of an output looks unconnected to the
      // inputs and grad-of-grad fails ("Cannot compute gradient of y=f(x) with respect to x").
      // Make the clones as before (untaped identity copies) but record their tape nodes after
      // the op's node.
      let out = patch(code, id, 'let saved = [];', 'let saved = [];\n        const cloneNodes = [];');
      out = patch(out, id, 'saved = this.saveTensorsForBackwardMode(tensorsToSave);', 'saved = this.adacoreSaveDeferred(tensorsToSave, cloneNodes);');
      out = patch(out, id, 'saved = tensors.map(tensor => this.keep(this.clone(tensor)));', 'saved = this.adacoreSaveDeferred(tensors, cloneNodes);');
      out = patch(out, id,
        /(this\.addTapeNode\(kernelOrScopeName, inputs, outputs, backwardsFunc, saved, attrs\);)/,
        '$1\n            for (const node of cloneNodes) this.addTapeNode(node.name, { x: node.x }, [node.y], node.grad, [], {});');
      return `${out}
Engine.prototype.adacoreHigherOrderGradients = true;
Engine.prototype.adacoreSaveDeferred = function (tensors, cloneNodes) {
    return tensors.map((x) => {
        const y = this.keep(this.runKernel(Identity, { x }));
        const grad = (dy) => ({ x: () => this.runKernel(Cast, { x: dy }, { dtype: 'float32' }) });
        cloneNodes.push({ name: this.state.activeScope.name, x, y, grad });
        return y;
    });
};
`;
    }
    if (path.endsWith('tfjs-backend-cpu/dist/backend_cpu.js')) {
      return patch(code, id, /if \(env\(\)\.get\('IS_NODE'\)\)(\s*\{\s*backend_util\.warn\('\\n=+\\n' \+\s*'Hi, looks like)/, 'if (false)$1');
    }
    return null;
  },
};
