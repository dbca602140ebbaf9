// train()'s options, declared once (src/options/declare.ts's helpers, reached through the core
// face): kind, default, domain, doc line and the CLI flag `adacore train` derives from them.
import { option, resolveDeclared, type Resolved } from '../index.js';
import { SOLVERS, type SolverName } from './solvers/index.js';

export const TRAIN_METHODS = ['full', 'random', 'random-epoch', 'craig', 'adacore'] as const;
export type TrainMethod = (typeof TRAIN_METHODS)[number];

export const SELECTION_SOURCES = ['auto', 'logits', 'parameters', 'sketch', 'last-layer', 'hutchinson'] as const;
export type SelectionSource = (typeof SELECTION_SOURCES)[number];

export const SCHEDULES = ['constant', 'exponential'] as const;

const positiveInteger = (v: number) => v >= 1;

export const TRAIN_OPTIONS = {
  method: option<TrainMethod>({
    kind: 'choice', choices: TRAIN_METHODS, default: 'full', flag: 'method', expected: 'a training method',
    doc: 'full: every row; random: one fixed unweighted random subset (CRAIG\'s baseline); random-epoch: an unweighted random subset drawn anew every epoch; craig, adacore: weighted coresets re-selected every `every` epochs from the current model.',
  }),
  fraction: option<number>({
    kind: 'number', default: 0.1, flag: 'fraction', metavar: 'F', expected: 'a number in (0, 1]', valid: (v) => v > 0 && v <= 1,
    doc: 'Subset methods: the fraction of the rows per subset (per class, as the selectors split budgets).',
  }),
  every: option<number>({
    kind: 'integer', default: 1, flag: 'every', metavar: 'R', expected: 'a positive integer', valid: positiveInteger,
    doc: 'craig, adacore: re-select every R epochs.',
  }),
  warmup: option<number>({
    kind: 'integer', default: 0, flag: 'warmup', metavar: 'W', expected: 'a non-negative integer', valid: (v) => v >= 0,
    doc: 'Subset methods: epochs on all rows before the first subset.',
  }),
  optimizer: option<SolverName>({
    kind: 'choice', choices: SOLVERS, default: 'sgd', flag: 'optimizer', expected: 'an optimizer name',
    doc: 'sgd (with momentum), adam, adahessian (Adam with a Hutchinson Hessian diagonal): minibatches; gd, newton, lbfgs: full batch on the rows in play (linear models); incremental: batch size 1, each step scaled by the row\'s weight (linear models).',
  }),
  epochs: option<number>({
    kind: 'integer', default: 10, flag: 'epochs', metavar: 'E', expected: 'a positive integer', valid: positiveInteger,
    doc: 'Passes over the rows in play (for full-batch solvers: `iterations` steps each).',
  }),
  batchSize: option<number>({
    kind: 'integer', default: 128, flag: 'batch-size', metavar: 'B', expected: 'a positive integer', valid: positiveInteger,
    doc: 'sgd, adam, adahessian: rows per step; at most the rows in play.',
  }),
  learningRate: option<number>({
    kind: 'number', default: undefined, defaultText: 'by optimizer', flag: 'learning-rate', metavar: 'LR',
    expected: 'a positive number', valid: (v) => v > 0 && Number.isFinite(v),
    doc: 'Step size: default 0.1 for sgd and adahessian, 0.001 for adam, 1 for gd, 0.01 for incremental (newton and lbfgs take a line search).',
  }),
  schedule: option<(typeof SCHEDULES)[number]>({
    kind: 'choice', choices: SCHEDULES, default: 'constant', flag: 'schedule', expected: 'a schedule',
    doc: 'constant, or exponential: learningRate x decay^epoch (the step decay CRAIG grid-searches).',
  }),
  decay: option<number>({
    kind: 'number', default: 0.9, flag: 'decay', metavar: 'D', expected: 'a number in (0, 1]', valid: (v) => v > 0 && v <= 1,
    doc: 'The exponential schedule\'s factor per epoch.',
  }),
  momentum: option<number>({
    kind: 'number', default: 0, flag: 'momentum', metavar: 'M', expected: 'a number in [0, 1)', valid: (v) => v >= 0 && v < 1,
    doc: 'sgd: momentum.',
  }),
  l2: option<number>({
    kind: 'number', default: 1e-4, flag: 'l2', metavar: 'L', expected: 'a non-negative number', valid: (v) => v >= 0 && Number.isFinite(v),
    doc: 'L2 penalty (l2 / 2) |W|^2 on the weight matrices: it makes the convex models\' optimum unique.',
  }),
  iterations: option<number>({
    kind: 'integer', default: 1, flag: 'iterations', metavar: 'N', expected: 'a positive integer', valid: positiveInteger,
    doc: 'gd, newton, lbfgs: iterations per epoch.',
  }),
  polish: option<number>({
    kind: 'integer', default: 0, flag: 'polish', metavar: 'P', expected: 'a non-negative integer', valid: (v) => v >= 0,
    doc: 'Subset methods: after the subset epochs, this many epochs on all rows (a coreset as a warm start).',
  }),
  polishTolerance: option<number>({
    kind: 'number', default: 0, flag: 'polish-tolerance', metavar: 'T', expected: 'a non-negative number', valid: (v) => v >= 0,
    doc: 'Stop polishing once an epoch lowers the training loss by less than this fraction of it.',
  }),
  evaluateEvery: option<number>({
    kind: 'integer', default: 0, flag: 'evaluate-every', metavar: 'S', expected: 'a non-negative integer', valid: (v) => v >= 0,
    doc: 'Also evaluate every S steps (0: at epoch ends only). Give every method the same S to compare them.',
  }),
  targetAccuracy: option<number>({
    kind: 'number', default: undefined, flag: 'target-accuracy', metavar: 'A', expected: 'a number in (0, 1]', valid: (v) => v > 0 && v <= 1,
    doc: 'The test accuracy whose first crossing gives secondsToTarget.',
  }),
  source: option<SelectionSource>({
    kind: 'choice', choices: SELECTION_SOURCES, default: 'auto', flag: 'source', expected: 'a gradient source',
    doc: 'What craig and adacore cluster: logits (softmax cross-entropy\'s logit gradients), parameters (a linear model\'s per-row parameter gradients, which see the features), sketch (those gradients in a seeded 32-dimensional random projection of the features: the same geometry, far cheaper to cluster), last-layer (an MLP\'s last layer, with exact Hessian diagonals), hutchinson (the last layer\'s gradients, x itself for a linear model, with Hutchinson estimates of the Hessian diagonals from 4 seeded Rademacher probes a round); auto: sketch for logistic, logits otherwise.',
  }),
  weighted: option<boolean>({
    kind: 'boolean', default: true, expected: 'true or false',
    doc: 'craig, adacore: train with the coreset\'s weights (false: as an unweighted subset, for ablations).',
  }),
  seed: option<number>({
    kind: 'integer', default: 0, flag: 'seed', metavar: 'S', expected: 'an integer in [0, 2^32)', valid: (v) => v >= 0 && v < 2 ** 32,
    doc: 'Seed of the initial weights, the minibatch order and the subsets.',
  }),
};

export type ResolvedTrainOptions = Resolved<typeof TRAIN_OPTIONS>;

export function resolveTrainOptions(given: Record<string, unknown>): ResolvedTrainOptions {
  return resolveDeclared(TRAIN_OPTIONS, given);
}
