// CRAIG (Mirzasoleiman, Bilmes, Leskovec, ICML 2020): facility location on the plain
// per-example gradients. No state between rounds: each round stands alone.
import { AdacoreError } from '../errors.js';
import type { ResolvedOptions } from '../select/options.js';
import { selectCoreset } from '../select/select-coreset.js';
import { checkGradients } from './batch.js';
import { resolveSelectorOptions, roundSelectOptions } from './options.js';
import { checkSource, roundInput } from './source.js';
import type { GradientBatch, GradientSource, RoundOptions, Selection, Selector, SelectorOptions } from './types.js';

export class CraigSelector implements Selector {
  readonly method = 'craig' as const;
  readonly #config: ResolvedOptions;
  readonly #source: GradientSource | undefined;
  #round = 0;
  #busy = false;

  constructor(options: SelectorOptions = {}) {
    this.#config = resolveSelectorOptions(options);
    this.#source = checkSource(options.source);
  }

  get round(): number {
    return this.#round;
  }

  /**
   * Select by facility location on batch.gradients (its hessianDiagonals are not used); given
   * only the round's options, on what the source option gives.
   */
  async select(batch: GradientBatch, options: RoundOptions): Promise<Selection>;
  async select(options: RoundOptions): Promise<Selection>;
  async select(first: GradientBatch | RoundOptions, second?: RoundOptions): Promise<Selection> {
    if (this.#busy) throw new AdacoreError('select', 'a round is already running on this selector; await it before the next');
    this.#busy = true;
    try {
      const { batch, options } = await roundInput(this.#source, this.#round + 1, first, second);
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
