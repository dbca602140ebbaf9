// The runtime-neutral cases of the tfjs layer (dist/adacore-tf.mjs): backend selection, the
// closed-form gradient sources against tfjs autodiff (grad and grad-of-grad), autograd + Hutchinson
// against the closed forms, cpu = wasm, webgpu = cpu where an adapter exists, no tensor leaks, bad
// input, and the trainer. Every runner (Node/vitest, Deno, Chromium page and module Worker) passes the bundle's
// namespace to curvatureCases() and runs each case's body unchanged; a case with `skip` set is
// reported as skipped. The cases live by topic in test/shared/curvature/; this index lists them in
// their fixed run order. No node:, Deno. or vitest imports here or in the files it imports, and no
// tfjs types (Deno type-checks them without node_modules): the tfjs namespace is typed loosely.
import { backendCases } from './curvature/backends.ts';
import { badInputCases } from './curvature/bad-input.ts';
import { closedFormCases } from './curvature/closed-forms.ts';
import { crossBackendCases } from './curvature/cross-backend.ts';
import { leakCases } from './curvature/leaks.ts';
import { rademacherCases } from './curvature/rademacher.ts';
import { trainingCases } from './curvature/training.ts';
import type { CurvatureCase, TfLib } from './curvature/types.ts';
import { runCases, type CaseResult } from './run-cases.ts';

export type { BackendAttempt, BackendChoice, CurvatureBatch, CurvatureCase, TfLib, WebGPUProbe } from './curvature/types.ts';

/** Every curvature case, topic by topic, in the order the runners have always run them. */
export async function curvatureCases(lib: TfLib): Promise<CurvatureCase[]> {
  return [
    ...backendCases(lib),
    ...closedFormCases(lib),
    ...await crossBackendCases(lib),
    ...leakCases(lib),
    ...badInputCases(lib),
    ...rademacherCases(lib),
    ...trainingCases(lib),
  ];
}

/** Runs every case (skipped ones are reported as such), for the Worker runner. */
export async function runAllCurvature(lib: TfLib, onResult?: (result: CurvatureResult) => void): Promise<CurvatureResult[]> {
  return runCases(await curvatureCases(lib), onResult);
}

export type CurvatureResult = CaseResult;
