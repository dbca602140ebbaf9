// AdaCore (Pooladzandi, Davini, Mirzasoleiman, ICML 2022): facility location on
// Hessian-preconditioned gradients, with the curvature averaged over selection rounds.
import { checkMemoryBudget, selectWithConfig } from '../coreset/select-coreset.js';
import { AdacoreError } from '../errors.js';
import { resolveAdaCoreOptions, resolveSelectorOptions, type Preconditioning, type ResolvedAdaCoreOptions } from '../options/selectors.js';
import type { ResolvedOptions } from '../options/select.js';
import { checkGradientShape, checkGradients, checkHessianDiagonals, checkHessianShape } from './batch.js';
import { biasCorrectionFactor, precondition, sharedDiagonal, updateAndPrecondition, updateSecondMoment } from './preconditioner.js';
import { RoundProtocol } from './round-protocol.js';
import type { AdaCoreOptions, GradientBatch, RoundOptions, Selection } from './types.js';

/** A copy of the selector's curvature state after `round` rounds. */
export interface AdaCoreState {
  round: number;
  preconditioning: Preconditioning;
  /** Rows of the dataset the state follows (per-example mode), or of the last round (shared). */
  rows: number;
  dim: number;
  /** V, the exponential average of D ⊙ D (not bias-corrected): rows x dim, or dim when shared. */
  secondMoment: Float32Array;
  /** 1 - beta^round with bias correction, else 1: V̂ = V / biasCorrection. */
  biasCorrection: number;
}

interface Curvature {
  rows: number;
  dim: number;
  secondMoment: Float32Array;
  /** The previous round's buffer, reused for the next round's average. */
  spare: Float32Array | undefined;
}

/**
 * Keeps each example's curvature across selection rounds and selects by facility location on
 * v_i = g_i ⊘ P_i, per class, with weights (cluster sizes, summing to n).
 *
 * Each round: V_i <- beta V_i + (1 - beta) D_i ⊙ D_i; V̂_i = V_i / (1 - beta^t);
 * P_i = sqrt(V̂_i)^κ + ε; v_i = g_i ⊘ P_i (a new array: the batch is never written to).
 * The state changes only when a round succeeds: a failed or aborted round leaves it as it was.
 *
 * Per-example mode follows one dataset: a batch with other rows or dim is an error (reset()
 * first). Shared mode keeps one model-wide diagonal (the given one of length dim, or the mean
 * of the rows' diagonals), so only dim must stay the same.
 */
export class AdaCoreSelector extends RoundProtocol {
  readonly method = 'adacore' as const;
  /** The AdaCore options in effect, defaults filled in. */
  readonly adacore: Readonly<ResolvedAdaCoreOptions>;
  #curvature: Curvature | undefined;

  constructor(options: AdaCoreOptions = {}) {
    super(resolveSelectorOptions(options), options.source);
    this.adacore = Object.freeze(resolveAdaCoreOptions(options));
  }

  /** A copy of the curvature state, or undefined before the first round. */
  get state(): AdaCoreState | undefined {
    const c = this.#curvature;
    if (c === undefined) return undefined;
    return {
      round: this.round,
      preconditioning: this.adacore.preconditioning,
      rows: c.rows,
      dim: c.dim,
      secondMoment: c.secondMoment.slice(),
      biasCorrection: biasCorrectionFactor(this.adacore.beta, this.round, this.adacore.biasCorrection),
    };
  }

  protected async runRound(batch: GradientBatch, options: RoundOptions, config: ResolvedOptions, round: number): Promise<Selection> {
    const { preconditioning, beta, biasCorrection, hessianPower, preconditionEpsilon } = this.adacore;
    checkGradientShape(batch);
    const kind = checkHessianShape(batch, preconditioning === 'shared');
    this.#checkSize(batch);
    const { rows, dim, gradients } = batch;
    // memoryBudget refuses before the preconditioned copy below is made
    checkMemoryBudget(gradients, rows, dim, options, config);
    const previous = this.#curvature;
    const params = { correction: biasCorrectionFactor(beta, round, biasCorrection), hessianPower, epsilon: preconditionEpsilon };
    const vectors = new Float32Array(rows * dim);
    let secondMoment: Float32Array;
    if (preconditioning === 'per-example') {
      // the state is written to the spare buffer: a round that fails leaves it as it was
      secondMoment = previous?.spare?.length === rows * dim ? previous.spare : new Float32Array(rows * dim);
      // one pass that also tests the values; on a non-finite one, the checks name it
      if (!updateAndPrecondition(previous?.secondMoment, batch.hessianDiagonals!, gradients, beta, params, secondMoment, vectors)) {
        checkGradients(batch);
        checkHessianDiagonals(batch, false);
      }
    } else {
      checkGradients(batch);
      checkHessianDiagonals(batch, true);
      const diagonal = kind === 'shared' ? batch.hessianDiagonals! : sharedDiagonal(batch.hessianDiagonals!, rows, dim);
      secondMoment = previous?.spare?.length === dim ? previous.spare : new Float32Array(dim);
      updateSecondMoment(previous?.secondMoment, diagonal, beta, secondMoment);
      precondition(gradients, secondMoment, rows, dim, params, vectors);
    }

    const coreset = await selectWithConfig(vectors, { dim, labels: options.labels, budget: options.budget, fraction: options.fraction }, config);

    this.#curvature = { rows, dim, secondMoment, spare: previous?.secondMoment };
    const selection: Selection = { ...coreset, method: 'adacore', round };
    if (this.adacore.returnPreconditioned) selection.preconditioned = vectors;
    return selection;
  }

  /**
   * v = g ⊘ P for `batch`'s gradients with the current state (as of the last round), without
   * updating it: the vectors the last round clustered, for measuring errors.
   */
  precondition(batch: Pick<GradientBatch, 'gradients' | 'rows' | 'dim'>): Float32Array {
    const c = this.#curvature;
    if (c === undefined) {
      throw new AdacoreError('selector', 'no curvature yet: run a selection round (select) before preconditioning');
    }
    checkGradients(batch);
    this.#checkSize(batch);
    const { beta, biasCorrection, hessianPower, preconditionEpsilon } = this.adacore;
    const correction = biasCorrectionFactor(beta, this.round, biasCorrection);
    const out = new Float32Array(batch.rows * batch.dim);
    precondition(batch.gradients, c.secondMoment, batch.rows, batch.dim, { correction, hessianPower, epsilon: preconditionEpsilon }, out);
    return out;
  }

  /** reset() forgets the curvature too: the next round starts a new average. */
  protected forget(): void {
    this.#curvature = undefined;
  }

  #checkSize({ rows, dim }: Pick<GradientBatch, 'rows' | 'dim'>): void {
    const c = this.#curvature;
    if (c === undefined) return;
    const shared = this.adacore.preconditioning === 'shared';
    if (c.dim === dim && (shared || c.rows === rows)) return;
    const state = shared ? `dim ${c.dim}` : `${c.rows} rows x ${c.dim} columns`;
    const given = shared ? `dim ${dim}` : `${rows} rows x ${dim} columns`;
    throw new AdacoreError(
      'batch',
      `this selector's state is for ${state} (after ${this.round} round${this.round === 1 ? '' : 's'}) but the ` +
        `batch has ${given}; a selector follows one dataset: call reset() or create a new selector for another one`,
    );
  }
}
