// AdaCore's curvature math (docs/algorithms.md, section 2), on plain typed arrays:
//   V <- beta V + (1 - beta) D ⊙ D,   V̂ = V / (1 - beta^t),   P = sqrt(V̂)^κ + ε,   v = g ⊘ P
// V is kept in float32 (the precision of the gradients, and half the memory of float64:
// per-example state is as large as the gradients); each step is computed in float64 from
// the float32 inputs and rounded once when stored.

/** The model-wide diagonal of shared mode: the given one (length dim), or the mean of the rows'. */
export function sharedDiagonal(hessianDiagonals: Float32Array, rows: number, dim: number): Float32Array {
  if (hessianDiagonals.length === dim) return hessianDiagonals;
  const sum = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) sum[j] += hessianDiagonals[i * dim + j];
  }
  return Float32Array.from(sum, (s) => s / rows);
}

/** out = beta * previous + (1 - beta) * diagonal², with previous = 0 before the first round. */
export function updateSecondMoment(
  previous: Float32Array | undefined, diagonal: Float32Array, beta: number, out: Float32Array,
): void {
  const fresh = 1 - beta;
  for (let p = 0; p < diagonal.length; p++) {
    const d = diagonal[p];
    out[p] = (previous === undefined ? 0 : beta * previous[p]) + fresh * d * d;
  }
}

/** 1 - beta^t with bias correction, else 1: V̂ = V / correction. */
export function biasCorrectionFactor(beta: number, round: number, enabled: boolean): number {
  return enabled ? 1 - beta ** round : 1;
}

/** P = sqrt(V / correction)^κ + ε for one value. κ = 0 gives 1 + ε everywhere (no preconditioning). */
export function preconditionerValue(secondMoment: number, correction: number, hessianPower: number, epsilon: number): number {
  const root = Math.sqrt(secondMoment / correction);
  // x ** 1 is x: the default power skips Math.pow, the slowest step of a round's preconditioning
  return (hessianPower === 1 ? root : root ** hessianPower) + epsilon;
}

export interface PreconditionParams {
  correction: number;
  hessianPower: number;
  epsilon: number;
}

/**
 * v = g ⊘ P into `out` (rows x dim). `secondMoment` is rows x dim (per example) or dim
 * (shared: one P for every row).
 */
export function precondition(
  gradients: Float32Array, secondMoment: Float32Array, rows: number, dim: number,
  { correction, hessianPower, epsilon }: PreconditionParams, out: Float32Array,
): void {
  if (secondMoment.length === rows * dim) {
    for (let p = 0; p < gradients.length; p++) {
      out[p] = gradients[p] / preconditionerValue(secondMoment[p], correction, hessianPower, epsilon);
    }
    return;
  }
  const shared = Float64Array.from(secondMoment, (v) => preconditionerValue(v, correction, hessianPower, epsilon));
  for (let i = 0; i < rows; i++) {
    const base = i * dim;
    for (let j = 0; j < dim; j++) out[base + j] = gradients[base + j] / shared[j];
  }
}

/**
 * Per-example mode's round in one pass: V = beta * previous + (1 - beta) * D ⊙ D into
 * `secondMoment` (float32, as updateSecondMoment stores it) and v = g ⊘ P from it into `out`,
 * the same values as updateSecondMoment then precondition. Returns false, with the outputs
 * unfinished, at the first gradient or diagonal that is not finite (the caller then names it).
 */
export function updateAndPrecondition(
  previous: Float32Array | undefined, diagonal: Float32Array, gradients: Float32Array, beta: number,
  { correction, hessianPower, epsilon }: PreconditionParams, secondMoment: Float32Array, out: Float32Array,
): boolean {
  const fresh = 1 - beta;
  for (let p = 0; p < gradients.length; p++) {
    const g = gradients[p], d = diagonal[p];
    if (!Number.isFinite(g) || !Number.isFinite(d)) return false;
    // the float32 value the state keeps (a local: reading it back from the array costs 3x)
    const stored = Math.fround((previous === undefined ? 0 : beta * previous[p]) + fresh * d * d);
    secondMoment[p] = stored;
    out[p] = g / preconditionerValue(stored, correction, hessianPower, epsilon);
  }
  return true;
}
