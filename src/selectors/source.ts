// Where a round's gradients come from: the batch passed to select(), or the selector's
// `source` option, a function called once per round (a training loop's "take the model's
// per-example gradients now"), so that select({ labels, fraction }) is the whole call.
import { AdacoreError } from '../errors.js';
import type { GradientBatch, GradientSource, RoundOptions } from './types.js';

/** The `source` option checked at construction: undefined or a function. */
export function checkSource(source: unknown): GradientSource | undefined {
  if (source !== undefined && typeof source !== 'function') {
    throw new AdacoreError('source', `expected a function (round) => GradientBatch or a Promise of one, got ${source === null ? 'null' : typeof source}`);
  }
  return source as GradientSource | undefined;
}

/**
 * select(batch, options) or select(options): the round's batch and options. With no batch the
 * source is called with the round about to run (1, 2, ...); a batch given explicitly wins.
 */
export async function roundInput(
  source: GradientSource | undefined, round: number, first: GradientBatch | RoundOptions, second: RoundOptions | undefined,
): Promise<{ batch: GradientBatch; options: RoundOptions }> {
  const hasBatch = second !== undefined || (first !== null && typeof first === 'object' && 'gradients' in first);
  if (hasBatch) return { batch: first as GradientBatch, options: second as RoundOptions };
  if (source === undefined) {
    throw new AdacoreError('source', 'select() got no gradient batch and the selector has no source option: call '
      + 'select(batch, { fraction }) or construct the selector with { source: (round) => batch }');
  }
  const batch = await source(round);
  if (batch === null || typeof batch !== 'object') {
    throw new AdacoreError('source', `returned ${batch === null ? 'null' : typeof batch} for round ${round}; expected a GradientBatch { gradients, rows, dim, hessianDiagonals? }`);
  }
  return { batch, options: first as RoundOptions };
}
