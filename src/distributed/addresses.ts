// The fixed names of a run's blobs and jobs: a function of the run id (itself a hash of the
// rows, labels and plan), so a re-run job or driver writes the same bytes to the same places
// and adds jobs that already exist, which BullMQ ignores.
export const blobKey = {
  plan: (run: string) => `runs/${run}/plan.blob`,
  input: (run: string, j: number) => `runs/${run}/input-${j}.blob`,
  candidates: (run: string, j: number) => `runs/${run}/candidates-${j}.blob`,
  selection: (run: string) => `runs/${run}/selection.blob`,
  counts: (run: string, j: number) => `runs/${run}/counts-${j}.blob`,
  result: (run: string) => `runs/${run}/result.blob`,
  run: (run: string) => `runs/${run}`,
};

export const jobId = {
  select: (run: string, j: number) => `${run}-select-${j}`,
  merge: (run: string) => `${run}-merge`,
  assign: (run: string, j: number) => `${run}-assign-${j}`,
  count: (run: string) => `${run}-count`,
};

/** The job kinds, by BullMQ job name. */
export type JobName = 'select' | 'merge' | 'assign' | 'count';

/** What a job carries: where the run's blobs are, and which partition (for select and assign). */
export interface JobData {
  run: string;
  store: import('./store.js').StoreDescriptor;
  partition?: number;
}
