// CRAIG (Mirzasoleiman, Bilmes, Leskovec, ICML 2020): facility location on the plain
// per-example gradients. No state between rounds: each round stands alone.
import { selectWithConfig } from '../coreset/select-coreset.js';
import { resolveSelectorOptions } from '../options/selectors.js';
import type { ResolvedOptions } from '../options/select.js';
import { checkGradients } from './batch.js';
import { RoundProtocol } from './round-protocol.js';
import type { GradientBatch, RoundOptions, Selection, SelectorOptions } from './types.js';

/**
 * Selects by facility location on batch.gradients (its hessianDiagonals are not used); given
 * only the round's options, on what the source option gives.
 */
export class CraigSelector extends RoundProtocol {
  readonly method = 'craig' as const;

  constructor(options: SelectorOptions = {}) {
    super(resolveSelectorOptions(options), options.source);
  }

  protected async runRound(batch: GradientBatch, options: RoundOptions, config: ResolvedOptions, round: number): Promise<Selection> {
    checkGradients(batch);
    const { labels, budget, fraction } = options;
    const coreset = await selectWithConfig(batch.gradients, { dim: batch.dim, labels, budget, fraction }, config);
    return { ...coreset, method: 'craig', round };
  }
}
