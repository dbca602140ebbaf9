// The slice of adacore's public API the shared cases use, and the Case they are made of. Kept
// structural: the runners pass the module namespace of dist/adacore.mjs, which is plain JS to Deno.

export interface Coreset {
  indices: Int32Array;
  weights: Float32Array;
  gains: Float64Array;
  cost: number;
  path: 'dense' | 'tiled' | 'dense+tiled' | 'stream' | 'partitions';
  seconds?: number;
  plannedBytes: number;
  budget: number;
  metric: string;
  optimizer: string;
  evaluations: number;
  threads?: number;
}
export interface Progress {
  phase: string; done: number; total: number; selected: number; budget: number; classIndex: number; classCount: number;
}
/** Options as the cases pass them: loosely typed, since some cases pass bad values on purpose. */
export type Options = Record<string, unknown>;
export type Vectors = Float32Array | Float64Array | ArrayLike<number>[];
/** A stream of row blocks (RowStream), or a function returning one. */
export type Stream = AsyncIterable<Float32Array | Float64Array | { rows: Float32Array | Float64Array; labels?: ArrayLike<number> }>;
export interface Lib {
  selectCoreset(vectors: Vectors | Stream | (() => Stream), options?: Options): Promise<Coreset>;
  referenceSelectCoreset(vectors: Vectors, options?: Options): Coreset;
  facilityLocationCost(vectors: Vectors, dim: number | undefined, indices: ArrayLike<number>, metric?: string, labels?: ArrayLike<number>): Promise<number>;
  gradientError(vectors: Vectors, dim: number | undefined, indices: ArrayLike<number>, weights: ArrayLike<number>): number;
  classBudgets(sizes: ArrayLike<number>, budget: number): number[];
  AdacoreError: abstract new (...args: never[]) => Error;
  AdaCoreSelector: new (options?: Options) => Selector & { state?: { secondMoment: Float32Array; biasCorrection: number } };
  createSelector(method: string, options?: Options): Selector;
  softmaxCrossEntropyFromLogits(logits: Float32Array, rows: number, classes: number, labels: ArrayLike<number>): Batch;
  workersAvailable(): boolean;
  releaseWorkers(): void;
  releaseKernelMemory(): void;
  encodeNpy(data: Float32Array | Float64Array | Int32Array, shape: number[]): Uint8Array;
  readNpyMatrix(bytes: Uint8Array): { data: Float32Array | Float64Array; rows: number; dim: number };
  selectPartitioned(vectors: Vectors, options: Options): Promise<Coreset>;
  partitionSteps: { hashPartition(index: number, partitions: number, seed: number): number };
  npyRowBlocks(file: { size: number; read(offset: number, length: number): Promise<Uint8Array> }, options?: Options): Promise<{
    rows: number; dim: number; blocks: () => Stream; readRows(indices: ArrayLike<number>): Promise<Float32Array | Float64Array>;
  }>;
}
export interface Batch { gradients: Float32Array; hessianDiagonals?: Float32Array; rows: number; dim: number }
export interface Selector {
  select(batch: Batch, options: Options): Promise<Coreset & { method: string; round: number }>;
  select(options: Options): Promise<Coreset & { method: string; round: number }>;
  reset(): void;
}
export interface Case {
  name: string;
  run: () => Promise<void>;
}
