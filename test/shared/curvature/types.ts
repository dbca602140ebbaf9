// The slice of dist/adacore-tf.mjs the curvature cases use, and the case type. No tfjs types (Deno
// type-checks these files without node_modules): the tfjs namespace is typed loosely.
// deno-lint-ignore no-explicit-any
export type Tf = any;
// deno-lint-ignore no-explicit-any
export type Tensor = any;

export interface CurvatureBatch {
  gradients: Float32Array;
  hessianDiagonals: Float32Array;
  rows: number;
  dim: number;
  backend: string;
}
export interface BackendAttempt { name: string; ok: boolean; reason: string; ms: number }
export interface BackendChoice { backend: string; tried: BackendAttempt[] }
export interface WebGPUProbe { available: boolean; fallback: boolean; description: string }
type Input = Record<string, unknown>;

/** The slice of dist/adacore-tf.mjs the cases use. */
export interface TfLib {
  initBackend(order?: readonly string[], options?: Input): Promise<BackendChoice>;
  probeWebGPU(timeoutMs?: number): Promise<WebGPUProbe>;
  getTf(): Tf;
  useTensorFlow(tf: Tf): Tf;
  DEFAULT_BACKEND_ORDER: readonly string[];
  softmaxCrossEntropy(input: Input): Promise<CurvatureBatch>;
  binaryLogistic(input: Input): Promise<CurvatureBatch>;
  squaredError(input: Input): Promise<CurvatureBatch>;
  lastLayer(input: Input): Promise<CurvatureBatch>;
  autogradCurvature(input: Input): Promise<CurvatureBatch>;
  rademacher(length: number, seed: number, stream?: number): Float32Array;
  train(options: Input): Promise<{ curve: Record<string, number | string | null>[]; finalLoss: number; backend: string }>;
  AdacoreError: abstract new (...args: never[]) => Error;
}

export interface CurvatureCase {
  name: string;
  run: () => Promise<void>;
  /** Set when the case cannot run here (e.g. no WebGPU adapter): the runner reports it skipped. */
  skip?: string;
}
