// The steps of selection in hash partitions and their helpers, as the package exports them
// (`partitionSteps`): what adacore/distributed's driver and jobs call, one step per job.
export {
  hashPartition, planPartitions, selectPartition, mergeCandidates, assignPartition,
  type Candidates, type PartitionCounts, type PartitionOptions, type PartitionPlan, type PartitionRows,
} from './partition-steps.js';
export {
  partitionInput, classesOf, partitionOptions, checkPartitions, countPartitions, partitionMembers, gatherPartition, finishPartitioned,
} from './select-partitioned.js';
