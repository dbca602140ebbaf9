// The round protocol every selector shares (scikit-learn's one-protocol-per-estimator, for
// selectors): the options resolved once at construction, one round at a time (a second
// select() while one runs is refused), the round count, the gradient source, and a reset()
// that refuses during a round. A method only says what one round does (runRound) and what
// state it forgets (forget).
import { AdacoreError, check } from '../errors.js';
import { ON_PROGRESS } from '../options/select.js';
import { checkOption } from '../options/declare.js';
import type { ResolvedOptions } from '../options/select.js';
import { checkSource, roundInput } from './source.js';
import type { GradientBatch, GradientSource, RoundOptions, Selection, SelectionMethod, Selector } from './types.js';

export abstract class RoundProtocol implements Selector {
  abstract readonly method: SelectionMethod;
  /** The selection options, resolved once. */
  protected readonly config: ResolvedOptions;
  readonly #source: GradientSource | undefined;
  #round = 0;
  #busy = false;

  protected constructor(config: ResolvedOptions, source: unknown) {
    this.config = config;
    this.#source = checkSource(source);
  }

  get round(): number {
    return this.#round;
  }

  /** One round on `batch`, or, given only the round's options, on what the source option gives. */
  async select(batch: GradientBatch, options: RoundOptions): Promise<Selection>;
  async select(options: RoundOptions): Promise<Selection>;
  async select(first: GradientBatch | RoundOptions, second?: RoundOptions): Promise<Selection> {
    if (this.#busy) throw new AdacoreError('select', 'a round is already running on this selector; await it before the next');
    this.#busy = true;
    try {
      const round = this.#round + 1;
      const { batch, options } = await roundInput(this.#source, round, first, second);
      check(options !== null && typeof options === 'object', 'options', 'expected an object with budget or fraction');
      if (options.onProgress !== undefined) checkOption('onProgress', ON_PROGRESS, options.onProgress);
      const config: ResolvedOptions = {
        ...this.config, signal: options.signal ?? this.config.signal, onProgress: options.onProgress ?? this.config.onProgress,
      };
      // the round's state changes only here, once the round has succeeded
      const selection = await this.runRound(batch, options, config, round);
      this.#round = round;
      return selection;
    } finally {
      this.#busy = false;
    }
  }

  /** Forget all state (the round count, and whatever the method keeps). */
  reset(): void {
    if (this.#busy) throw new AdacoreError('reset', 'a round is running on this selector; await it before reset()');
    this.forget();
    this.#round = 0;
  }

  /** One round: must not change the selector's state unless it succeeds. */
  protected abstract runRound(batch: GradientBatch, options: RoundOptions, config: ResolvedOptions, round: number): Promise<Selection>;

  /** What reset() clears besides the round count. */
  protected forget(): void {}
}
