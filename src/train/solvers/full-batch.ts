// Full-batch solvers for the convex (linear) models, each iteration one step over all the rows
// in play: gradient descent, L-BFGS, and Newton's method (the exact Hessian and a Cholesky
// solve for binary models with at most EXACT_NEWTON_LIMIT parameters, else conjugate gradient
// on Hessian-vector products). L-BFGS and Newton take a backtracking (Armijo) line search.
import { AdacoreError } from '../../tf/errors.js';
import { checkFinite } from './checks.js';
import { linearObjective, type LinearObjective } from './linear-objective.js';
import type { RowsInPlay, Solver, SolverSettings } from './types.js';

/** Binary models with at most this many parameters get the exact Hessian (a 1,025 x 1,025 solve is ~0.2 s in JS). */
export const EXACT_NEWTON_LIMIT = 1025;
const HISTORY = 10;

export function fullBatchSolver(kind: 'gd' | 'lbfgs' | 'newton', settings: SolverSettings): Solver {
  const { tf, model, l2, learningRate, decay, iterations } = settings;
  // the objective (X transposed, targets) and L-BFGS's curvature pairs, kept across epochs
  // while the rows in play stay the same
  let history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  let lastRows: RowsInPlay | undefined;
  let objective: LinearObjective | undefined;
  return {
    async epoch(rows, epoch, afterStep) {
      if (rows !== lastRows || objective === undefined) {
        history = [];
        lastRows = rows;
        objective?.dispose();
        objective = linearObjective(tf, model, rows, l2);
      }
      {
        let theta = await objective.read();
        let { loss, gradient } = await objective.value(theta);
        for (let step = 0; step < iterations; step++) {
          checkFinite(loss, epoch, step);
          let direction: Float64Array;
          if (kind === 'gd') direction = scaled(gradient, -learningRate * decay ** epoch);
          else if (kind === 'lbfgs') direction = lbfgsDirection(gradient, history);
          else direction = await newtonDirection(objective, gradient);
          const next = kind === 'gd'
            ? await take(objective, theta, direction, 1)
            : await lineSearch(objective, theta, loss, gradient, direction, kind === 'lbfgs' && history.length === 0);
          if (kind === 'lbfgs') remember(history, theta, gradient, next.theta, next.gradient);
          ({ theta, loss, gradient } = next);
          checkFinite(loss, epoch, step);
          const pending = afterStep();
          if (pending) await pending;
        }
        objective.write(theta);
      }
      return iterations;
    },
    sync() {},
    dispose() {
      history = [];
      objective?.dispose();
      objective = undefined;
    },
  };
}

async function take(objective: LinearObjective, theta: Float64Array, direction: Float64Array, t: number) {
  const next = theta.map((v, i) => v + t * direction[i]);
  return { theta: next, ...(await objective.value(next)) };
}

/** Backtracking from t = 1 (L-BFGS's first step: 1 / |g|) until the Armijo condition holds. */
async function lineSearch(
  objective: LinearObjective, theta: Float64Array, loss: number, gradient: Float64Array, direction: Float64Array, first: boolean,
) {
  let slope = dot(gradient, direction);
  if (!(slope < 0)) { direction = scaled(gradient, -1); slope = -dot(gradient, gradient); }
  let t = first ? Math.min(1, 1 / Math.sqrt(dot(gradient, gradient))) : 1;
  for (let tries = 0; tries < 30; tries++, t /= 2) {
    const next = await take(objective, theta, direction, t);
    if (next.loss <= loss + 1e-4 * t * slope) return next;
  }
  return { theta, ...(await objective.value(theta)) };
}

function lbfgsDirection(gradient: Float64Array, history: { s: Float64Array; y: Float64Array; rho: number }[]): Float64Array {
  const q = Float64Array.from(gradient);
  const alphas: number[] = [];
  for (let k = history.length - 1; k >= 0; k--) {
    const { s, y, rho } = history[k];
    const alpha = rho * dot(s, q);
    alphas[k] = alpha;
    for (let i = 0; i < q.length; i++) q[i] -= alpha * y[i];
  }
  if (history.length > 0) {
    const { s, y } = history[history.length - 1];
    const gamma = dot(s, y) / dot(y, y);
    for (let i = 0; i < q.length; i++) q[i] *= gamma;
  }
  for (let k = 0; k < history.length; k++) {
    const { s, y, rho } = history[k];
    const beta = rho * dot(y, q);
    for (let i = 0; i < q.length; i++) q[i] += s[i] * (alphas[k] - beta);
  }
  return scaled(q, -1);
}

function remember(history: { s: Float64Array; y: Float64Array; rho: number }[], theta: Float64Array, gradient: Float64Array, next: Float64Array, nextGradient: Float64Array): void {
  const s = next.map((v, i) => v - theta[i]);
  const y = nextGradient.map((v, i) => v - gradient[i]);
  const sy = dot(s, y);
  if (!(sy > 1e-12)) return; // no positive curvature along s: skip the pair
  history.push({ s, y, rho: 1 / sy });
  if (history.length > HISTORY) history.shift();
}

/** The Newton direction -H^-1 g: exact for small binary models, else truncated conjugate gradient. */
async function newtonDirection(objective: LinearObjective, gradient: Float64Array): Promise<Float64Array> {
  const n = gradient.length;
  if (objective.outputs === 1 && n <= EXACT_NEWTON_LIMIT) return choleskySolve(await objective.hessian(), scaled(gradient, -1), n);
  // CG on H p = -g, to a relative residual of min(0.5, sqrt |g|) (Eisenstat-Walker's forcing term)
  const p = new Float64Array(n);
  const r = scaled(gradient, -1);
  const d = Float64Array.from(r);
  let rr = dot(r, r);
  const tolerance = Math.min(0.5, Math.sqrt(Math.sqrt(rr))) * Math.sqrt(rr);
  for (let k = 0; k < Math.min(n, 50) && Math.sqrt(rr) > tolerance; k++) {
    const hd = await objective.hessianVector(d);
    const curvature = dot(d, hd);
    if (!(curvature > 0)) break;
    const alpha = rr / curvature;
    for (let i = 0; i < n; i++) { p[i] += alpha * d[i]; r[i] -= alpha * hd[i]; }
    const next = dot(r, r);
    for (let i = 0; i < n; i++) d[i] = r[i] + (next / rr) * d[i];
    rr = next;
  }
  return dot(p, p) > 0 ? p : scaled(gradient, -1);
}

/** Solve H x = b for a symmetric positive definite H (row-major n x n) by Cholesky. */
export function choleskySolve(h: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = h[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(sum > 0)) throw new AdacoreError('optimizer', 'Newton: the Hessian is not positive definite (add l2 regularisation)');
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / l[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) { let sum = b[i]; for (let k = 0; k < i; k++) sum -= l[i * n + k] * y[k]; y[i] = sum / l[i * n + i]; }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) { let sum = y[i]; for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k]; x[i] = sum / l[i * n + i]; }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function scaled(a: Float64Array, factor: number): Float64Array {
  return a.map((v) => v * factor);
}
