// The selectors' options (AdaCore's knobs, the method, random's measureCost), declared once
// (see declare.ts), and the resolution every selector does once, at construction.
import { check } from '../errors.js';
import { defaultsOf, option, resolveDeclared, type Given, type Resolved } from './declare.js';
import { resolveOptions, type ResolvedOptions, type SelectOptions } from './select.js';

export const SELECTION_METHODS = ['adacore', 'craig', 'random'] as const;
export type SelectionMethod = (typeof SELECTION_METHODS)[number];

export const PRECONDITIONINGS = ['per-example', 'shared'] as const;
/** 'per-example': each row's own Hessian diagonal; 'shared': one model-wide diagonal for all rows. */
export type Preconditioning = (typeof PRECONDITIONINGS)[number];

export const METHOD_OPTION = option<SelectionMethod>({
  kind: 'choice', choices: SELECTION_METHODS, default: undefined, flag: 'method', expected: 'a method name',
  doc: 'adacore: facility location on Hessian-preconditioned gradients; craig: on the plain gradients; random: uniform per class, each row weighted n_c / k_c. The CLI takes adacore when --logits comes without --method.',
});

/**
 * AdaCore's knobs (docs/algorithms.md, section 2). AdaCore's own values were never published;
 * the defaults follow AdaHessian except beta:
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
export const ADACORE_OPTIONS = {
  preconditioning: option<Preconditioning>({
    kind: 'choice', choices: PRECONDITIONINGS, default: 'per-example', flag: 'preconditioning', expected: 'a preconditioning mode',
    doc: 'AdaCore: each row\'s own Hessian diagonal (per-example), or one model-wide diagonal for every row (shared).',
  }),
  beta: option<number>({
    kind: 'number', default: 0.9, flag: 'beta', metavar: 'B',
    expected: 'a number in [0, 1)', valid: (v) => v >= 0 && v < 1,
    doc: 'AdaCore: decay of the average of squared Hessian diagonals over selection rounds.',
  }),
  biasCorrection: option<boolean>({
    kind: 'boolean', default: true, expected: 'true or false',
    doc: 'AdaCore: divide the average by 1 - beta^t (t = rounds seen), as Adam and AdaHessian do.',
  }),
  hessianPower: option<number>({
    kind: 'number', default: 1, flag: 'hessian-power', metavar: 'P',
    expected: 'a number in [0, 1]', valid: (v) => v >= 0 && v <= 1,
    doc: 'AdaCore: kappa in P = sqrt(V)^kappa + epsilon; 1 preconditions fully, 0 not at all (CRAIG\'s picks).',
  }),
  preconditionEpsilon: option<number>({
    kind: 'number', default: 1e-4, flag: 'precondition-epsilon', metavar: 'E',
    expected: 'a positive number', valid: (v) => v > 0 && Number.isFinite(v),
    doc: 'AdaCore: epsilon added to the preconditioner, so that rows with zero curvature stay finite.',
  }),
  returnPreconditioned: option<boolean>({
    kind: 'boolean', default: false, expected: 'true or false',
    doc: 'AdaCore: return each round\'s preconditioned vectors v = g / P as `preconditioned`.',
  }),
};

export const RANDOM_OPTIONS = {
  measureCost: option<boolean>({
    kind: 'boolean', default: false, expected: 'true or false',
    doc: 'Random: measure the facility-location cost L(S) of the drawn rows (n x k_c distances per class); else cost is NaN.',
  }),
};

export type ResolvedAdaCoreOptions = Resolved<typeof ADACORE_OPTIONS>;
/** AdaCore's options as a caller passes them (ADACORE_OPTIONS, each optional). */
export type AdaCoreKnobs = Given<typeof ADACORE_OPTIONS>;
export const ADACORE_DEFAULTS = defaultsOf(ADACORE_OPTIONS);

export function resolveAdaCoreOptions(options: AdaCoreKnobs): ResolvedAdaCoreOptions {
  return resolveDeclared(ADACORE_OPTIONS, options);
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
 * A selector's selection options, resolved once at construction. `epsilon` is stochastic
 * greedy's; given with another optimizer it would be ignored, which is most likely a mix-up
 * with AdaCore's preconditionEpsilon, so it is an error.
 */
export function resolveSelectorOptions(options: SelectOptions): ResolvedOptions {
  check(options !== null && typeof options === 'object', 'options', 'expected an object');
  const resolved = resolveOptions({ ...options, optimizer: options.optimizer ?? SELECTOR_OPTIMIZER });
  check(
    options.epsilon === undefined || resolved.optimizer === 'stochastic', 'epsilon',
    `is stochastic greedy's epsilon and applies only with optimizer 'stochastic' (the optimizer is ` +
      `'${resolved.optimizer}'); AdaCore's preconditioner epsilon is preconditionEpsilon`,
  );
  return resolved;
}
