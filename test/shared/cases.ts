// The runtime-neutral test cases: every runner (Node/vitest, Deno, Chromium page and module
// Worker) imports dist/adacore.mjs, passes it to cases() and runs each case's body unchanged.
// The cases live by topic in test/shared/cases/; this index lists them in their fixed run order.
// No node:, Deno. or vitest imports here or in the files it imports.
import { abortProgressCases } from './cases/abort-progress.ts';
import { badInputCases } from './cases/bad-input.ts';
import { determinismCases } from './cases/determinism.ts';
import { edgeRowCases } from './cases/edge-rows.ts';
import { kernelMemoryCases } from './cases/kernel-memory.ts';
import { labelsCases } from './cases/labels.ts';
import { partitionedCases } from './cases/partitioned.ts';
import { largeNCases } from './cases/large-n.ts';
import { hashPartitionCases } from './cases/hash-partitions.ts';
import { peerDefectCases } from './cases/peer-defects.ts';
import { propertyCases } from './cases/properties.ts';
import { qualityCases } from './cases/quality.ts';
import { referenceEqualityCases } from './cases/reference-equality.ts';
import { selectorCases } from './cases/selectors.ts';
import { threadsCases } from './cases/threads.ts';
import type { Case, Lib } from './cases/types.ts';
import { runCases, type CaseResult } from './run-cases.ts';

export type { Batch, Case, Coreset, Lib, Options, Progress, Selector } from './cases/types.ts';
export { METRICS, OPTIMIZERS } from './cases/helpers.ts';
export { runCases, type CaseResult };

/** Every shared case, topic by topic, in the order the runners have always run them. */
export function cases(lib: Lib): Case[] {
  return [
    ...referenceEqualityCases(lib),
    ...determinismCases(lib),
    ...partitionedCases(lib),
    ...largeNCases(lib),
    ...hashPartitionCases(lib),
    ...threadsCases(lib),
    ...labelsCases(lib),
    ...peerDefectCases(lib),
    ...edgeRowCases(lib),
    ...kernelMemoryCases(lib),
    ...badInputCases(lib),
    ...abortProgressCases(lib),
    ...qualityCases(lib),
    ...selectorCases(lib),
    ...propertyCases(lib),
  ];
}

/** Run every case, never throwing: what the Workers post back (and a quick runner for any host). */
export async function runAll(lib: Lib, onResult?: (result: CaseResult) => void): Promise<CaseResult[]> {
  return runCases(cases(lib), onResult);
}
