// The same values on every backend: cpu = wasm for every source, and webgpu = cpu where an adapter
// exists (skipped, with the reason, where none does).
import { equal } from '../assert.ts';
import { allSources, backendSwitch, caseList, near, problem, softmaxRegression, type Problem } from './helpers.ts';
import type { CurvatureBatch, CurvatureCase, TfLib } from './types.ts';

export async function crossBackendCases(lib: TfLib): Promise<CurvatureCase[]> {
  const { list, add } = caseList();
  const tf = lib.getTf();
  const use = backendSwitch(lib);

  /** Every closed-form source and autograd (on a seeded softmax-regression model) on `backend`. */
  const everySourceOn = async (backend: string, p: Problem, modelSeed: number, hutchinson: { probes: number; seed: number }) => {
    await use(backend);
    const results: Record<string, CurvatureBatch> = await allSources(lib, p);
    const model = softmaxRegression(tf, p, modelSeed);
    try {
      results.autograd = await lib.autogradCurvature({ loss: model.loss, params: [model.W, model.b], x: model.x, y: model.y, ...hutchinson });
    } finally {
      model.dispose();
    }
    return results;
  };

  // Identical results on cpu and wasm.
  add('[cpu = wasm] every source gives the same values on cpu and wasm (within float32 rounding)', async () => {
    const p = problem(404);
    const results: Record<string, Record<string, CurvatureBatch>> = {};
    for (const backend of ['cpu', 'wasm']) results[backend] = await everySourceOn(backend, p, 41, { probes: 2, seed: 9 });
    for (const key of Object.keys(results.cpu)) {
      near(results.wasm[key].gradients, results.cpu[key].gradients, `${key} gradients, wasm vs cpu`);
      near(results.wasm[key].hessianDiagonals, results.cpu[key].hessianDiagonals, `${key} Hessian diagonals, wasm vs cpu`);
    }
  });

  // WebGPU, where an adapter exists (software ones included: correctness only, small sizes).
  const probe = await lib.probeWebGPU();
  add('[webgpu] every source agrees with cpu (small sizes)', async () => {
    const p = problem(505, 4, 3, 2);
    const results: Record<string, Record<string, CurvatureBatch>> = {};
    // Tensors made on webgpu cannot move to another backend synchronously in every runtime
    // (Deno has no canvas for tfjs's readSync): nothing everySourceOn makes outlives it.
    for (const backend of ['cpu', 'webgpu']) results[backend] = await everySourceOn(backend, p, 51, { probes: 1, seed: 3 });
    for (const key of Object.keys(results.cpu)) {
      equal(results.webgpu[key].backend, 'webgpu', `${key} ran on webgpu`);
      near(results.webgpu[key].gradients, results.cpu[key].gradients, `${key} gradients, webgpu vs cpu`, 1e-4);
      near(results.webgpu[key].hessianDiagonals, results.cpu[key].hessianDiagonals, `${key} Hessian diagonals, webgpu vs cpu`, 1e-4);
    }
    await use('cpu');
  }, probe.available ? undefined : `no WebGPU adapter: ${probe.description}`);

  return list;
}
