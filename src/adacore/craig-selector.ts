// CRAIG (Mirzasoleiman, Bilmes, Leskovec, ICML 2020): facility location on the plain
// per-example gradients. No state between rounds: each round stands alone.
import { AdacoreError } from '../errors.js';
import type { ResolvedOptions } from '../select/options.js';
import { selectCoreset } from '../select/select-coreset.js';
import { checkGradients } from './batch.js';
import { resolveSelectorOptions, roundSelectOptions } from './options.js';
import type { GradientBatch, RoundOptions, Selection, Selector, SelectorOptions } from './types.js';

export class CraigSelector implements Selector {
  readonly method = 'craig' as const;
  readonly #config: ResolvedOptions;
  #round = 0;
  #busy = false;

  constructor(options: SelectorOptions = {}) {
    this.#config = resolveSelectorOptions(options);
  }

  get round(): number {
    return this.#round;
  }

  /** Select by facility location on batch.gradients (its hessianDiagonals are not used). */
  async select(batch: GradientBatch, options: RoundOptions): Promise<Selection> {
    if (this.#busy) throw new AdacoreError('select', 'a round is already running on this selector; await it before the next');
    this.#busy = true;
    try {
      checkGradients(batch);
      const coreset = await selectCoreset(batch.gradients, roundSelectOptions(this.#config, batch.dim, options));
      return { ...coreset, method: 'craig', round: ++this.#round };
    } finally {
      this.#busy = false;
    }
  }

  reset(): void {
    this.#round = 0;
  }
}
