// Solvers by name: the trainer's optimizers (named solvers here, to keep them apart from the
// greedy optimizers of the selection engine).
import { adahessianSolver } from './adahessian.js';
import { fullBatchSolver } from './full-batch.js';
import { incrementalSolver } from './incremental.js';
import { minibatchSolver } from './minibatch.js';
import type { Solver, SolverSettings } from './types.js';

export const SOLVERS = ['sgd', 'adam', 'adahessian', 'gd', 'newton', 'lbfgs', 'incremental'] as const;
export type SolverName = (typeof SOLVERS)[number];

/** Whether the solver takes a whole epoch's rows per step (and so needs a linear model). */
export const FULL_BATCH: ReadonlySet<SolverName> = new Set(['gd', 'newton', 'lbfgs']);

/** Each solver's default learning rate (Newton and L-BFGS take no rate: a line search sets the step). */
export const DEFAULT_RATES: Record<SolverName, number> = { sgd: 0.1, adam: 1e-3, adahessian: 0.1, gd: 1, newton: 1, lbfgs: 1, incremental: 0.01 };

export function createSolver(name: SolverName, settings: SolverSettings): Solver {
  switch (name) {
    case 'sgd':
    case 'adam': return minibatchSolver(name, settings);
    case 'adahessian': return adahessianSolver(settings);
    case 'incremental': return incrementalSolver(settings);
    default: return fullBatchSolver(name, settings);
  }
}

export type { RowsInPlay, Solver, SolverSettings } from './types.js';
