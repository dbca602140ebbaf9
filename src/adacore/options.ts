// AdaCore's options, their defaults, and the one place that validates them.
import { check } from '../errors.js';
import { resolveOptions, type ResolvedOptions, type SelectOptions } from '../select/options.js';
import type { AdaCoreOptions, Preconditioning, RoundOptions, SelectorOptions } from './types.js';

export const PRECONDITIONINGS = ['per-example', 'shared'] as const;

/**
 * AdaCore's defaults (ALGORITHMS.md section 2). AdaCore's own values were never published;
 * these follow AdaHessian except beta:
 *
 * - beta 0.9, not AdaHessian's 0.999. An optimizer updates its average every step, thousands
 *   of times an epoch; a selector updates once per selection round (once an epoch, or every
 *   few). With 0.999 the average would remember the curvature of hundreds of epochs ago (its
 *   time constant is 1 / (1 - beta) = 1000 rounds), long after the model has moved on; 0.9
 *   averages over about the last 10 rounds, smoothing the noise of one round's estimate
 *   while following the model.
 * - biasCorrection on: without it the first rounds' averages are shrunk towards zero by
 *   1 - beta^t (0.1 after one round with beta 0.9), inflating every v = g / P.
 * - hessianPower 1: full preconditioning, v = g / (|diag H| + eps) in the first round.
 * - preconditionEpsilon 1e-4: AdaHessian's epsilon.
 * - preconditioning 'per-example': v_i = H_i^-1 g_i as in the paper; 'shared' uses one
 *   model-wide diagonal (the optimizer's view) for every row.
 */
export const ADACORE_DEFAULTS = {
  preconditioning: 'per-example' as Preconditioning,
  beta: 0.9,
  biasCorrection: true,
  hessianPower: 1,
  preconditionEpsilon: 1e-4,
  returnPreconditioned: false,
};

export interface ResolvedAdaCoreOptions {
  preconditioning: Preconditioning;
  beta: number;
  biasCorrection: boolean;
  hessianPower: number;
  preconditionEpsilon: number;
  returnPreconditioned: boolean;
}

export function resolveAdaCoreOptions(options: AdaCoreOptions): ResolvedAdaCoreOptions {
  const preconditioning = options.preconditioning ?? ADACORE_DEFAULTS.preconditioning;
  check(
    PRECONDITIONINGS.includes(preconditioning), 'preconditioning',
    `unknown preconditioning ${JSON.stringify(preconditioning)}; expected one of ${PRECONDITIONINGS.join(', ')}`,
  );
  const beta = options.beta ?? ADACORE_DEFAULTS.beta;
  check(typeof beta === 'number' && beta >= 0 && beta < 1, 'beta', `expected a number in [0, 1), got ${beta}`);
  const biasCorrection = options.biasCorrection ?? ADACORE_DEFAULTS.biasCorrection;
  check(typeof biasCorrection === 'boolean', 'biasCorrection', `expected true or false, got ${String(biasCorrection)}`);
  const hessianPower = options.hessianPower ?? ADACORE_DEFAULTS.hessianPower;
  check(
    typeof hessianPower === 'number' && hessianPower >= 0 && hessianPower <= 1, 'hessianPower',
    `expected a number in [0, 1], got ${hessianPower}`,
  );
  const preconditionEpsilon = options.preconditionEpsilon ?? ADACORE_DEFAULTS.preconditionEpsilon;
  check(
    typeof preconditionEpsilon === 'number' && preconditionEpsilon > 0 && Number.isFinite(preconditionEpsilon),
    'preconditionEpsilon', `expected a positive number, got ${preconditionEpsilon}`,
  );
  const returnPreconditioned = options.returnPreconditioned ?? ADACORE_DEFAULTS.returnPreconditioned;
  check(
    typeof returnPreconditioned === 'boolean', 'returnPreconditioned',
    `expected true or false, got ${String(returnPreconditioned)}`,
  );
  return { preconditioning, beta, biasCorrection, hessianPower, preconditionEpsilon, returnPreconditioned };
}

/**
 * The selectors' default optimizer. A selector runs every few epochs, so a round must cost
 * little next to training: the partitioned optimizer is 5 to 10 times faster than lazy greedy
 * on ground sets of thousands (60,000 Fashion-MNIST gradients: 0.45 s vs 3.9 s) for a
 * facility-location cost about 2 % higher, and gives lazy greedy's picks exactly on ground
 * sets of at most partitionSize points.
 */
export const SELECTOR_OPTIMIZER = 'partitioned' as const;

/**
 * The selection options, validated once at construction. `epsilon` is stochastic greedy's;
 * given with another optimizer it would be ignored, which is most likely a mix-up with
 * AdaCore's preconditionEpsilon, so it is an error.
 */
export function resolveSelectorOptions(options: SelectorOptions): ResolvedOptions {
  check(options !== null && typeof options === 'object', 'options', 'expected an object');
  const resolved = resolveOptions({ ...options, optimizer: options.optimizer ?? SELECTOR_OPTIMIZER });
  check(
    options.epsilon === undefined || resolved.optimizer === 'stochastic', 'epsilon',
    `is stochastic greedy's epsilon and applies only with optimizer 'stochastic' (the optimizer is ` +
      `'${resolved.optimizer}'); AdaCore's preconditioner epsilon is preconditionEpsilon`,
  );
  return resolved;
}

/** selectCoreset's options for one round: the selector's, with the round's overrides. */
export function roundSelectOptions(config: ResolvedOptions, dim: number, round: RoundOptions): SelectOptions {
  check(round !== null && typeof round === 'object', 'options', 'expected an object with budget or fraction');
  return {
    dim,
    labels: round.labels,
    budget: round.budget,
    fraction: round.fraction,
    metric: config.metric,
    optimizer: config.optimizer,
    seed: config.seed,
    epsilon: config.epsilon,
    sampleSize: config.sampleSize,
    memoryBudget: config.memoryBudget,
    partitionSize: config.partitionSize,
    oversampling: config.oversampling,
    threads: config.threads,
    signal: round.signal ?? config.signal,
    onProgress: round.onProgress ?? config.onProgress,
  };
}
