// Which tfjs namespace adacore's tf-using functions run on (dependency injection).
//
// dist/adacore-tf.mjs bundles its own tfjs (core 4.22.0 with every gradient registered, and the
// cpu, wasm and webgpu backends). A caller with their own tfjs (@tensorflow/tfjs, tfjs-node, a
// model trained with it) passes that namespace instead: per call as the `tf` option, or once for
// all calls with useTensorFlow(tf). Every op then runs through that namespace, so the caller's
// tensors, variables, model and backend are used as they are. Resolution, per call:
//   options.tf  >  useTensorFlow(tf)  >  the bundled tfjs.
// tfjs-core keeps its engine (backend registry, tensors, kernel and gradient registries) in a
// global, so copies of tfjs loaded into one JavaScript realm share it: the bundled copy and the
// caller's see the same tensors and the same active backend. See docs/tfjs.md.
import type * as tfc from '@tensorflow/tfjs-core';
import { ensure } from './errors.js';

/** A tfjs namespace: `import * as tf from '@tensorflow/tfjs'` (or tfjs-core, or tfjs-node). */
export type TensorFlow = typeof tfc;
export type Tensor = tfc.Tensor;

/** What every tf-using function accepts. */
export interface TfOption {
  /** The tfjs namespace to run on; default: the one set by useTensorFlow, else the bundled tfjs. */
  tf?: TensorFlow;
}

let bundled: TensorFlow | undefined;
let injected: TensorFlow | undefined;
let prepareBundled: (() => Promise<void>) | undefined;

/** @internal The bundle registers its own tfjs and how to get a backend ready for it. */
export function registerBundledTensorFlow(tf: TensorFlow, prepare: () => Promise<void>): void {
  bundled = tf;
  prepareBundled = prepare;
}

/** @internal The tfjs copy inside this bundle. */
export function bundledTensorFlow(): TensorFlow {
  ensure(bundled, 'tf', 'no bundled tfjs in this build: pass a tfjs namespace with useTensorFlow(tf) or the tf option');
  return bundled;
}

const REQUIRED = ['tidy', 'engine', 'ready', 'setBackend', 'getBackend', 'tensor', 'memory', 'keep', 'dispose'] as const;

/** Throws unless `tf` looks like a tfjs namespace. */
export function checkTensorFlow(tf: unknown, argument = 'tf'): asserts tf is TensorFlow {
  ensure(tf !== null && (typeof tf === 'object' || typeof tf === 'function'), argument,
    `expected a tfjs namespace (import * as tf from '@tensorflow/tfjs'), got ${tf === null ? 'null' : typeof tf}`);
  const missing = REQUIRED.filter((name) => typeof (tf as Record<string, unknown>)[name] !== 'function');
  ensure(missing.length === 0, argument,
    `expected a tfjs namespace (import * as tf from '@tensorflow/tfjs'); it lacks ${missing.join(', ')}`);
}

/**
 * Run every later tf-using adacore call on `tf` (the caller's tfjs namespace), or, with null or
 * undefined, go back to the bundled tfjs. Returns the namespace that was in use before.
 * A per-call `tf` option still wins over this.
 */
export function useTensorFlow(tf: TensorFlow | null | undefined): TensorFlow | undefined {
  const previous = injected;
  if (tf == null) injected = undefined;
  else {
    checkTensorFlow(tf);
    injected = tf;
  }
  return previous;
}

/** The tfjs namespace adacore uses when a call has no `tf` option: the injected one, else the bundled one. */
export function getTf(): TensorFlow {
  return injected ?? bundledTensorFlow();
}

/**
 * @internal The namespace for one call, with a backend ready. The bundled tfjs gets the first
 * working backend of initBackend's default order when none was chosen yet; a caller's tfjs gets
 * `await tf.ready()` (its own default, or the backend the caller set).
 */
export async function readyTf(explicit?: TensorFlow): Promise<TensorFlow> {
  if (explicit !== undefined) checkTensorFlow(explicit);
  const tf = explicit ?? getTf();
  if (tf === bundled && prepareBundled) await prepareBundled();
  else await tf.ready();
  return tf;
}
