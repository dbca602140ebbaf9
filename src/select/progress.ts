// What a selection reports as it runs (selectCoreset's onProgress).

export interface Progress {
  /**
   * 'distances': building the dense block; 'bounds': lazy greedy's first pass; 'greedy': picking;
   * 'partitions': the part-based optimizers' first round (done and total count parts);
   * 'assignment': the proportional optimizer's nearest-pick pass over every row (total: rows).
   */
  phase: 'distances' | 'bounds' | 'greedy' | 'partitions' | 'assignment';
  /** Work units done and total in this phase (tiles, points or picks). */
  done: number;
  total: number;
  /** Points picked so far over all classes, and the whole budget. */
  selected: number;
  budget: number;
  /** Which class is being processed (0-based, in ascending label order) and how many there are. */
  classIndex: number;
  classCount: number;
}

/** Progress fields that the caller fills in (the class and overall counts). */
export type ProgressFrame = (phase: Progress['phase'], done: number, total: number, picked: number) => Progress;
