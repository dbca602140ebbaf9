// AdaCore, CRAIG and random selectors (src/selectors): the round protocol, state across rounds, modes, exactness
// against hand-computed math, errors, and quality on Fashion-MNIST.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  ADACORE_DEFAULTS, AdaCoreSelector, AdacoreError, CraigSelector, RandomSelector, classBudgets, createSelector, facilityLocationCost,
  gradientError, readIdxLabels, readIdxMatrix, selectCoreset, selectionErrors, softmaxCrossEntropyFromLogits,
  SELECTION_METHODS, type GradientBatch, type Selection,
} from '../../src/index.js';
import { gaussian, random } from '../shared/data.js';

const FASHION = '/usr/share/datasets/fashion-mnist';

/** A batch of `rows` x `dim` gradients around a few centres, with positive Hessian diagonals. */
function makeBatch(rows: number, dim: number, seed: number): GradientBatch {
  const uniform = random(seed);
  const normal = gaussian(uniform);
  const centres = Array.from({ length: 5 }, () => Array.from({ length: dim }, () => 4 * (uniform() - 0.5)));
  const gradients = new Float32Array(rows * dim);
  const hessianDiagonals = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const centre = centres[Math.floor(uniform() * centres.length)];
    for (let j = 0; j < dim; j++) {
      gradients[i * dim + j] = centre[j] + 0.5 * normal();
      hessianDiagonals[i * dim + j] = 0.01 + 2 * uniform() * uniform();
    }
  }
  return { gradients, hessianDiagonals, rows, dim };
}

/** Labels 0..classes-1 of unequal class sizes. */
function makeLabels(rows: number, classes: number): Int32Array {
  return Int32Array.from({ length: rows }, (_, i) => (i * 7 + (i % 3)) % classes);
}

/** The EMA of docs/algorithms.md, section 2.1, as the selector stores it: float64 steps, float32 state. */
function handEma(diagonals: Float32Array[], beta: number): Float32Array {
  let v: Float32Array | undefined;
  for (const d of diagonals) {
    const next = new Float32Array(d.length);
    for (let p = 0; p < d.length; p++) next[p] = (v === undefined ? 0 : beta * v[p]) + (1 - beta) * d[p] * d[p];
    v = next;
  }
  return v!;
}

/** v = g / (sqrt(V / correction)^κ + ε), computed independently of the library. */
function handPrecondition(g: Float32Array, v: Float32Array, rows: number, dim: number, correction: number, kappa: number, eps: number): Float32Array {
  const out = new Float32Array(rows * dim);
  const shared = v.length === dim && rows > 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) {
      const vij = shared ? v[j] : v[i * dim + j];
      out[i * dim + j] = g[i * dim + j] / (Math.pow(Math.sqrt(vij / correction), kappa) + eps);
    }
  }
  return out;
}

function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

function snapshot(batch: GradientBatch): { gradients: Float32Array; hessianDiagonals: Float32Array | undefined } {
  return { gradients: batch.gradients.slice(), hessianDiagonals: batch.hessianDiagonals?.slice() };
}

/** Per-class counts and weight sums of a selection. */
function perClass(selection: Selection, labels: ArrayLike<number>, classes: number): { counts: number[]; weights: number[] } {
  const counts = new Array<number>(classes).fill(0);
  const weights = new Array<number>(classes).fill(0);
  selection.indices.forEach((row, p) => { counts[labels[row]]++; weights[labels[row]] += selection.weights[p]; });
  return { counts, weights };
}

function classSizes(labels: ArrayLike<number>, classes: number): number[] {
  const sizes = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  return sizes;
}

describe('the round protocol every selector shares', () => {
  for (const method of SELECTION_METHODS) {
    it(`${method}: one round at a time, no reset() during a round, and a failed round changes nothing`, async () => {
      const selector = createSelector(method, { optimizer: 'lazy', seed: 2 });
      const batch = makeBatch(40, 3, 8);
      const first = selector.select(batch, { budget: 5 });
      const second = selector.select(batch, { budget: 5 });
      expect(() => selector.reset()).toThrow(/^reset: a round is running on this selector/);
      await expect(second).rejects.toThrow(/^select: a round is already running on this selector/);
      const one = await first;
      expect(one.round).toBe(1);
      expect(selector.round).toBe(1);
      await expect(selector.select(batch, { budget: 0 })).rejects.toThrow(/^budget: expected a positive integer/);
      await expect(selector.select(batch, { budget: 5, onProgress: 3 as never })).rejects.toThrow(/^onProgress: expected a function/);
      expect(selector.round).toBe(1);
      const two = await selector.select(batch, { budget: 5 });
      expect(two.round).toBe(2);
      selector.reset();
      expect(selector.round).toBe(0);
      // after reset() the rounds start over, with the first round's result
      const again = await selector.select(batch, { budget: 5 });
      expect(again.round).toBe(1);
      expect(Array.from(again.indices)).toEqual(Array.from(one.indices));
    });
  }
});

describe('AdaCoreSelector state across rounds', () => {
  it('keeps the EMA of D ⊙ D with bias correction, and v = g / P exactly', async () => {
    const rows = 40, dim = 6, beta = 0.8, kappa = 1, eps = 1e-4;
    const first = makeBatch(rows, dim, 1);
    const second = makeBatch(rows, dim, 2);
    const selector = new AdaCoreSelector({ beta, returnPreconditioned: true });
    expect(selector.state).toBeUndefined();
    expect(selector.round).toBe(0);

    const a = await selector.select(first, { budget: 5 });
    expect(a.round).toBe(1);
    expect(a.method).toBe('adacore');
    const v1 = handEma([first.hessianDiagonals!], beta);
    expect(selector.state!.secondMoment).toEqual(v1);
    expect(selector.state!.biasCorrection).toBe(1 - beta);
    expect(a.preconditioned).toEqual(handPrecondition(first.gradients, v1, rows, dim, 1 - beta, kappa, eps));
    // One round, bias-corrected: V̂ = D ⊙ D (up to rounding), so P ≈ |D| + ε.
    for (let p = 0; p < rows * dim; p++) {
      expect(a.preconditioned![p]).toBeCloseTo(first.gradients[p] / (first.hessianDiagonals![p] + eps), 4);
    }

    const b = await selector.select(second, { budget: 5 });
    expect(b.round).toBe(2);
    const v2 = handEma([first.hessianDiagonals!, second.hessianDiagonals!], beta);
    const state = selector.state!;
    expect(state.secondMoment).toEqual(v2);
    expect(state.round).toBe(2);
    expect(state.rows).toBe(rows);
    expect(state.dim).toBe(dim);
    expect(state.biasCorrection).toBeCloseTo(1 - beta * beta, 15);
    const expected = handPrecondition(second.gradients, v2, rows, dim, 1 - beta ** 2, kappa, eps);
    expect(b.preconditioned).toEqual(expected);
    // precondition() reproduces the last round's vectors without changing the state.
    expect(selector.precondition(second)).toEqual(expected);
    expect(selector.state!.secondMoment).toEqual(v2);
    // The round selected on those vectors.
    const direct = await selectCoreset(expected, { dim, budget: 5 });
    expect(b.indices).toEqual(direct.indices);
    expect(b.weights).toEqual(direct.weights);
  });

  it('without bias correction, divides by 1; with beta 0, V is the last D ⊙ D', async () => {
    const rows = 20, dim = 3;
    const first = makeBatch(rows, dim, 3);
    const second = makeBatch(rows, dim, 4);
    const raw = new AdaCoreSelector({ beta: 0.5, biasCorrection: false, returnPreconditioned: true, hessianPower: 0.5, preconditionEpsilon: 1e-3 });
    await raw.select(first, { budget: 4 });
    const b = await raw.select(second, { budget: 4 });
    const v = handEma([first.hessianDiagonals!, second.hessianDiagonals!], 0.5);
    expect(raw.state!.biasCorrection).toBe(1);
    expect(b.preconditioned).toEqual(handPrecondition(second.gradients, v, rows, dim, 1, 0.5, 1e-3));

    const memoryless = new AdaCoreSelector({ beta: 0 });
    await memoryless.select(first, { budget: 4 });
    await memoryless.select(second, { budget: 4 });
    expect(memoryless.state!.secondMoment).toEqual(handEma([second.hessianDiagonals!], 0));
  });

  it('reset() clears the state and the round count', async () => {
    const batch = makeBatch(30, 4, 5);
    const selector = new AdaCoreSelector({ returnPreconditioned: true });
    const first = await selector.select(batch, { budget: 6 });
    await selector.select(makeBatch(30, 4, 6), { budget: 6 });
    selector.reset();
    expect(selector.state).toBeUndefined();
    expect(selector.round).toBe(0);
    const again = await selector.select(batch, { budget: 6 });
    expect(again.round).toBe(1);
    expect(again.preconditioned).toEqual(first.preconditioned);
    expect(again.indices).toEqual(first.indices);
    // After reset a dataset of another size is fine.
    selector.reset();
    await expect(selector.select(makeBatch(12, 2, 7), { budget: 3 })).resolves.toMatchObject({ round: 1 });
  });

  it('a failed round leaves the state as it was', async () => {
    const selector = new AdaCoreSelector();
    const batch = makeBatch(25, 3, 8);
    await selector.select(batch, { budget: 5 });
    const before = selector.state!;
    await expect(selector.select(makeBatch(25, 3, 9), { budget: 26 })).rejects.toThrow(/budget: 26 is more than the 25 rows/);
    const controller = new AbortController();
    controller.abort();
    await expect(selector.select(makeBatch(25, 3, 9), { budget: 5, signal: controller.signal })).rejects.toThrow();
    expect(selector.round).toBe(1);
    expect(selector.state!.secondMoment).toEqual(before.secondMoment);
  });

  it('stays consistent over 20 rounds on one dataset', async () => {
    const rows = 120, dim = 5, classes = 3, beta = 0.9;
    const labels = makeLabels(rows, classes);
    const selector = new AdaCoreSelector({ returnPreconditioned: true });
    const diagonals: Float32Array[] = [];
    let last: GradientBatch | undefined;
    for (let t = 1; t <= 20; t++) {
      const batch = makeBatch(rows, dim, 100 + t);
      diagonals.push(batch.hessianDiagonals!);
      const s = await selector.select(batch, { labels, fraction: 0.1 });
      expect(s.round).toBe(t);
      expect(s.indices).toHaveLength(12);
      expect(new Set(s.indices).size).toBe(12);
      expect(sum(s.weights)).toBe(rows);
      expect(perClass(s, labels, classes).weights).toEqual(classSizes(labels, classes));
      last = batch;
    }
    const v = handEma(diagonals, beta);
    expect(selector.state!.secondMoment).toEqual(v);
    expect(selector.precondition(last!)).toEqual(handPrecondition(last!.gradients, v, rows, dim, 1 - beta ** 20, 1, 1e-4));
  });
});

describe('AdaCoreSelector modes and options', () => {
  it('shared mode preconditions every row with one model-wide diagonal', async () => {
    const rows = 30, dim = 4, beta = 0.9;
    const first = makeBatch(rows, dim, 11);
    const second = makeBatch(rows, dim, 12);
    const selector = new AdaCoreSelector({ preconditioning: 'shared', returnPreconditioned: true });
    const mean = (d: Float32Array) => Float32Array.from({ length: dim }, (_, j) => {
      let s = 0;
      for (let i = 0; i < rows; i++) s += d[i * dim + j];
      return s / rows;
    });
    await selector.select(first, { budget: 5 });
    expect(selector.state!.secondMoment).toHaveLength(dim);
    // A model-wide diagonal may also be given directly (length dim).
    const model = mean(second.hessianDiagonals!);
    const b = await selector.select({ ...second, hessianDiagonals: model }, { budget: 5 });
    const v = handEma([mean(first.hessianDiagonals!), model], beta);
    expect(selector.state!.secondMoment).toEqual(v);
    expect(b.preconditioned).toEqual(handPrecondition(second.gradients, v, rows, dim, 1 - beta ** 2, 1, 1e-4));
    // Every row divided by the same P: ratios g / v are equal down each column.
    for (let j = 0; j < dim; j++) {
      const ratio = second.gradients[j] / b.preconditioned![j];
      for (let i = 1; i < rows; i++) expect(second.gradients[i * dim + j] / b.preconditioned![i * dim + j]).toBeCloseTo(ratio, 4);
    }
    // The state is one diagonal: the number of rows may change, dim may not.
    await expect(selector.select(makeBatch(17, dim, 13), { budget: 3 })).resolves.toMatchObject({ round: 3 });
    await expect(selector.select(makeBatch(17, dim + 1, 13), { budget: 3 })).rejects.toThrow(/state is for dim 4 .* batch has dim 5/);
  });

  it('per-example and shared modes differ, and per-example refuses a single diagonal', async () => {
    const batch = makeBatch(60, 4, 14);
    const perExample = await new AdaCoreSelector({ returnPreconditioned: true }).select(batch, { budget: 8 });
    const shared = await new AdaCoreSelector({ preconditioning: 'shared', returnPreconditioned: true }).select(batch, { budget: 8 });
    expect(perExample.preconditioned).not.toEqual(shared.preconditioned);
    await expect(new AdaCoreSelector().select({ ...batch, hessianDiagonals: new Float32Array(4) }, { budget: 8 }))
      .rejects.toThrow(/hessianDiagonals: expected rows x dim = 60 x 4 = 240 values, like the gradients, got 4/);
  });

  it('hessianPower 0 selects exactly what CRAIG selects', async () => {
    const rows = 150, dim = 6, classes = 3;
    const labels = makeLabels(rows, classes);
    const adacore = createSelector('adacore', { hessianPower: 0 });
    const craig = createSelector('craig', { hessianPower: 0 });
    for (let t = 0; t < 3; t++) {
      const batch = makeBatch(rows, dim, 20 + t);
      const a = await adacore.select(batch, { labels, budget: 15 });
      const c = await craig.select(batch, { labels, budget: 15 });
      expect(a.indices).toEqual(c.indices);
      expect(a.weights).toEqual(c.weights);
      expect(c.method).toBe('craig');
    }
    // κ = 0 makes P = 1 + ε: a uniform scale.
    const scaled = await new AdaCoreSelector({ hessianPower: 0, returnPreconditioned: true }).select(makeBatch(10, 2, 1), { budget: 2 });
    const g = makeBatch(10, 2, 1).gradients;
    expect(scaled.preconditioned).toEqual(Float32Array.from(g, (x) => x / (1 + 1e-4)));
  });

  it('passes the selection options through (metric, optimizer, seed, blockMemory, onProgress)', async () => {
    const batch = makeBatch(80, 5, 30);
    const events: string[] = [];
    const options = { metric: 'cosine', optimizer: 'stochastic', seed: 7, epsilon: 0.3, blockMemory: 0 } as const;
    const selector = new AdaCoreSelector({ ...options, returnPreconditioned: true, onProgress: (p) => events.push(p.phase) });
    const s = await selector.select(batch, { budget: 9 });
    expect(s).toMatchObject({ metric: 'cosine', optimizer: 'stochastic', path: 'tiled', budget: 9 });
    expect(events.length).toBeGreaterThan(0);
    const direct = await selectCoreset(s.preconditioned!, { dim: 5, budget: 9, ...options });
    expect(s.indices).toEqual(direct.indices);
    expect(s.gains).toEqual(direct.gains);
    const craig = await new CraigSelector(options).select(batch, { budget: 9 });
    const plain = await selectCoreset(batch.gradients, { dim: 5, budget: 9, ...options });
    expect(craig.indices).toEqual(plain.indices);
    expect(craig.cost).toBe(plain.cost);
  });

  it('documents its defaults', () => {
    expect(ADACORE_DEFAULTS).toEqual({
      preconditioning: 'per-example', beta: 0.9, biasCorrection: true, hessianPower: 1, preconditionEpsilon: 1e-4,
      returnPreconditioned: false,
    });
    expect(new AdaCoreSelector().adacore).toEqual(ADACORE_DEFAULTS);
  });

  it('rejects bad options, each naming the option', () => {
    expect(() => new AdaCoreSelector({ beta: 1 })).toThrow(/^beta: expected a number in \[0, 1\), got 1$/);
    expect(() => new AdaCoreSelector({ beta: -0.1 })).toThrow(/^beta:/);
    expect(() => new AdaCoreSelector({ hessianPower: 1.5 })).toThrow(/^hessianPower: expected a number in \[0, 1\]/);
    expect(() => new AdaCoreSelector({ preconditionEpsilon: 0 })).toThrow(/^preconditionEpsilon: expected a positive number/);
    expect(() => new AdaCoreSelector({ preconditioning: 'global' as never })).toThrow(/^preconditioning: unknown preconditioning "global"/);
    expect(() => new AdaCoreSelector({ metric: 'manhattan' as never })).toThrow(/^metric:/);
    // epsilon is stochastic greedy's: with another optimizer it would silently do nothing.
    expect(() => new AdaCoreSelector({ epsilon: 1e-4 })).toThrow(/^epsilon: is stochastic greedy's epsilon .* preconditionEpsilon$/);
    expect(() => createSelector('craig', { epsilon: 0.1 })).toThrow(AdacoreError);
    expect(() => createSelector('adacore', { epsilon: 0.1, optimizer: 'stochastic' })).not.toThrow();
    expect(() => createSelector('greedy' as never)).toThrow(/^method: unknown method "greedy"; expected one of adacore, craig, random$/);
  });
});

describe('selector input errors', () => {
  it('a dataset of another size names both sizes', async () => {
    const selector = new AdaCoreSelector();
    await selector.select(makeBatch(50, 4, 40), { budget: 5 });
    await expect(selector.select(makeBatch(49, 4, 41), { budget: 5 }))
      .rejects.toThrow(/^batch: this selector's state is for 50 rows x 4 columns \(after 1 round\) but the batch has 49 rows x 4 columns; .*reset\(\)/);
    await expect(selector.select(makeBatch(50, 5, 41), { budget: 5 }))
      .rejects.toThrow(/50 rows x 4 columns .* 50 rows x 5 columns/);
    expect(() => selector.precondition(makeBatch(10, 4, 1))).toThrow(/50 rows x 4 columns .* 10 rows x 4 columns/);
    expect(() => new AdaCoreSelector().precondition(makeBatch(10, 4, 1))).toThrow(/^selector: no curvature yet/);
  });

  it('missing Hessian diagonals', async () => {
    const { gradients, rows, dim } = makeBatch(10, 3, 42);
    await expect(new AdaCoreSelector().select({ gradients, rows, dim }, { budget: 2 }))
      .rejects.toThrow(/^hessianDiagonals: missing: AdaCore needs .*craig method/);
    // CRAIG and random need none.
    await expect(new CraigSelector().select({ gradients, rows, dim }, { budget: 2 })).resolves.toBeDefined();
    await expect(new RandomSelector().select({ gradients, rows, dim }, { budget: 2 })).resolves.toBeDefined();
  });

  it('NaN in gradients or Hessian diagonals names the row', async () => {
    const batch = makeBatch(10, 3, 43);
    const badGradients = batch.gradients.slice();
    badGradients[7 * 3 + 1] = NaN;
    for (const selector of [new AdaCoreSelector(), new CraigSelector(), new RandomSelector()]) {
      await expect(selector.select({ ...batch, gradients: badGradients }, { budget: 2 }))
        .rejects.toThrow(/^gradients: row 7, column 1 is NaN; every value must be a finite number$/);
    }
    const badHessian = batch.hessianDiagonals!.slice();
    badHessian[4 * 3 + 2] = Infinity;
    await expect(new AdaCoreSelector().select({ ...batch, hessianDiagonals: badHessian }, { budget: 2 }))
      .rejects.toThrow(/^hessianDiagonals: row 4, column 2 is Infinity/);
    await expect(new AdaCoreSelector({ preconditioning: 'shared' }).select({ ...batch, hessianDiagonals: Float32Array.of(1, NaN, 1) }, { budget: 2 }))
      .rejects.toThrow(/^hessianDiagonals: column 1 \(of the shared diagonal\) is NaN/);
  });

  it('wrong shapes and types', async () => {
    const batch = makeBatch(10, 3, 44);
    const selector = new AdaCoreSelector();
    await expect(selector.select({ ...batch, rows: 11 }, { budget: 2 })).rejects.toThrow(/^gradients: expected rows x dim = 11 x 3 = 33 values, got 30$/);
    await expect(selector.select({ ...batch, dim: 0 }, { budget: 2 })).rejects.toThrow(/^dim: expected a positive integer/);
    await expect(selector.select({ ...batch, gradients: Array.from(batch.gradients) as never }, { budget: 2 })).rejects.toThrow(/^gradients: expected a Float32Array/);
    await expect(selector.select(batch, { budget: 2, labels: [0, 1] })).rejects.toThrow(/^labels: expected 10 labels/);
    await expect(selector.select(batch, {} as never)).rejects.toThrow(/^budget:/);
    expect(selector.round).toBe(0);
  });

  it('never writes to the caller\'s arrays', async () => {
    const labels = makeLabels(60, 3);
    const labelsCopy = labels.slice();
    for (const method of ['adacore', 'craig', 'random'] as const) {
      const selector = createSelector(method, { returnPreconditioned: true });
      for (let t = 0; t < 2; t++) {
        const batch = makeBatch(60, 4, 50 + t);
        const before = snapshot(batch);
        const s = await selector.select(batch, { labels, budget: 9 });
        expect(batch.gradients).toEqual(before.gradients);
        expect(batch.hessianDiagonals).toEqual(before.hessianDiagonals);
        expect(labels).toEqual(labelsCopy);
        if (s.preconditioned) {
          expect(s.preconditioned.buffer).not.toBe(batch.gradients.buffer);
          expect(s.preconditioned.buffer).not.toBe(batch.hessianDiagonals!.buffer);
        }
      }
    }
  });

  it('one round at a time per selector', async () => {
    const selector = new AdaCoreSelector();
    const batch = makeBatch(40, 3, 60);
    const first = selector.select(batch, { budget: 4 });
    await expect(selector.select(batch, { budget: 4 })).rejects.toThrow(/already running/);
    await first;
    expect(selector.round).toBe(1);
  });
});

describe('weights and budgets per method', () => {
  const rows = 97, classes = 4;
  const labels = makeLabels(rows, classes);
  const sizes = classSizes(labels, classes);

  it('weights sum to n for every method, with exact class budgets', async () => {
    for (const method of ['adacore', 'craig', 'random'] as const) {
      const s = await createSelector(method).select(makeBatch(rows, 5, 70), { labels, budget: 13 });
      expect(s.method).toBe(method);
      expect(s.indices).toHaveLength(13);
      expect(new Set(s.indices).size).toBe(13);
      const { counts, weights } = perClass(s, labels, classes);
      expect(counts).toEqual(classBudgets(sizes, 13));
      weights.forEach((w, c) => expect(w).toBeCloseTo(sizes[c], 4));
      expect(sum(s.weights)).toBeCloseTo(rows, 4);
      if (method !== 'random') expect(sum(s.weights)).toBe(rows);
    }
  });

  it('random: weights n_c / k_c, exact when k_c divides n_c', async () => {
    const budgets = classBudgets(sizes, 13);
    const s = await new RandomSelector().select(makeBatch(rows, 5, 71), { labels, budget: 13 });
    s.indices.forEach((row, p) => expect(s.weights[p]).toBe(Math.fround(sizes[labels[row]] / budgets[labels[row]])));
    // Float64 sum of the float64 weights: exactly n here (it is n_c per class up to one rounding each).
    const exact = s.indices.reduce((acc, row) => acc + sizes[labels[row]] / budgets[labels[row]], 0);
    expect(exact).toBeCloseTo(rows, 12);
    expect(Array.from(s.indices)).toEqual(Array.from(s.indices).sort((a, b) => a - b));
    expect(s).toMatchObject({ path: 'none', optimizer: 'none', evaluations: 0, budget: 13 });
    expect(s.gains).toEqual(new Float64Array(13));
    expect(s.cost).toBeNaN();
    const measured = await new RandomSelector({ measureCost: true }).select(makeBatch(rows, 5, 71), { labels, budget: 13 });
    expect(measured.indices).toEqual(s.indices);
    expect(measured.cost).toBe(await facilityLocationCost(makeBatch(rows, 5, 71).gradients, 5, s.indices, 'euclidean', labels));

    // 10 classes of 60 at 10 %: 6 each, every weight exactly 10, the sum exactly 600.
    const even = Int32Array.from({ length: 600 }, (_, i) => i % 10);
    const e = await new RandomSelector().select(makeBatch(600, 3, 72), { labels: even, fraction: 0.1 });
    expect(Array.from(new Set(e.weights))).toEqual([10]);
    expect(sum(e.weights)).toBe(600);
  });

  it('random is seeded: same seed same rows, new rows each round, reset repeats', async () => {
    const batch = makeBatch(rows, 5, 73);
    const a = new RandomSelector({ seed: 5 });
    const b = createSelector('random', { seed: 5 });
    const a1 = await a.select(batch, { labels, budget: 20 });
    const b1 = await b.select(batch, { labels, budget: 20 });
    expect(a1.indices).toEqual(b1.indices);
    expect(a1.weights).toEqual(b1.weights);
    const a2 = await a.select(batch, { labels, budget: 20 });
    expect(a2.round).toBe(2);
    expect(a2.indices).not.toEqual(a1.indices);
    const other = await new RandomSelector({ seed: 6 }).select(batch, { labels, budget: 20 });
    expect(other.indices).not.toEqual(a1.indices);
    a.reset();
    expect((await a.select(batch, { labels, budget: 20 })).indices).toEqual(a1.indices);
    // The draw depends on the rows and labels, not on the gradient values.
    expect((await new RandomSelector({ seed: 5 }).select(makeBatch(rows, 5, 74), { labels, budget: 20 })).indices).toEqual(a1.indices);
  });

  it('random is uniform within a class', async () => {
    const n = 20, k = 5, draws = 2000;
    const hits = new Array<number>(n).fill(0);
    const selector = new RandomSelector({ seed: 1 });
    const batch = makeBatch(n, 2, 75);
    for (let t = 0; t < draws; t++) for (const i of (await selector.select(batch, { budget: k })).indices) hits[i]++;
    const expected = (draws * k) / n;
    for (const h of hits) expect(Math.abs(h - expected)).toBeLessThan(5 * Math.sqrt(expected));
  });
});

describe('softmaxCrossEntropyFromLogits', () => {
  it('gives g = p - y and diag H = p (1 - p), stably for large logits', () => {
    const logits = Float32Array.of(1, 2, 3, 1000, 1001, 999, -5, 0, 5);
    const batch = softmaxCrossEntropyFromLogits(logits, 3, 3, [2, 0, 1]);
    expect(batch).toMatchObject({ rows: 3, dim: 3 });
    const softmax = (z: number[]) => { const m = Math.max(...z); const e = z.map((x) => Math.exp(x - m)); const s = sum(e); return e.map((x) => x / s); };
    const labels = [2, 0, 1];
    for (let i = 0; i < 3; i++) {
      const p = softmax(Array.from(logits.subarray(i * 3, i * 3 + 3)));
      for (let c = 0; c < 3; c++) {
        expect(batch.gradients[i * 3 + c]).toBe(Math.fround(p[c] - (c === labels[i] ? 1 : 0)));
        expect(batch.hessianDiagonals![i * 3 + c]).toBe(Math.fround(p[c] * (1 - p[c])));
      }
      expect(sum(batch.gradients.subarray(i * 3, i * 3 + 3))).toBeCloseTo(0, 6);
    }
    expect(batch.gradients.every(Number.isFinite)).toBe(true);
  });

  it('rejects labels outside the classes, NaN logits and wrong shapes, naming the row', () => {
    expect(() => softmaxCrossEntropyFromLogits(new Float32Array(6), 2, 3, [0, 3]))
      .toThrow(/^labels: row 1 has label 3, outside the classes 0..2 \(the logits have 3 columns\)$/);
    expect(() => softmaxCrossEntropyFromLogits(new Float32Array(6), 2, 3, [-1, 0])).toThrow(/^labels: row 0 has label -1/);
    expect(() => softmaxCrossEntropyFromLogits(new Float32Array(6), 2, 3, [0.5, 0])).toThrow(/^labels: row 0 has label 0.5/);
    expect(() => softmaxCrossEntropyFromLogits(Float32Array.of(0, 0, 0, 1, NaN, 0), 2, 3, [0, 0]))
      .toThrow(/^logits: row 1, column 1 is NaN; every logit must be a finite number$/);
    expect(() => softmaxCrossEntropyFromLogits(Float32Array.of(0, Infinity), 1, 2, [0])).toThrow(/^logits: row 0, column 1 is Infinity/);
    expect(() => softmaxCrossEntropyFromLogits(new Float32Array(5), 2, 3, [0, 0])).toThrow(/^logits: expected rows x classes = 2 x 3 = 6 values, got 5$/);
    expect(() => softmaxCrossEntropyFromLogits(new Float32Array(6), 2, 3, [0])).toThrow(/^labels: expected 2 labels/);
    expect(() => softmaxCrossEntropyFromLogits(new Float32Array(2), 2, 1, [0, 0])).toThrow(/^classes: expected an integer of at least 2/);
  });
});

describe('selectionErrors', () => {
  it('measures E on the plain and on the preconditioned gradients', async () => {
    const batch = makeBatch(80, 4, 80);
    const selector = new AdaCoreSelector({ returnPreconditioned: true });
    const s = await selector.select(batch, { budget: 10 });
    const errors = selectionErrors(batch, s, selector);
    expect(errors.plain).toBe(gradientError(batch.gradients, 4, s.indices, s.weights));
    expect(errors.preconditioned).toBe(gradientError(s.preconditioned!, 4, s.indices, s.weights));
    // All rows with weight 1: no error.
    const all = Int32Array.from({ length: 80 }, (_, i) => i);
    expect(selectionErrors(batch, { indices: all, weights: new Float32Array(80).fill(1) }, selector).preconditioned).toBeCloseTo(0, 5);
  });
});

/** Softmax regression trained one epoch by minibatch SGD (plain TS), then its logits. */
function trainSoftmaxRegression(x: Float32Array, labels: Int32Array, rows: number, dim: number, classes: number, seed: number): Float32Array {
  const w = new Float64Array(dim * classes);
  const b = new Float64Array(classes);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const uniform = random(seed);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const batchSize = 50, rate = 0.5;
  const z = new Float64Array(classes);
  const gw = new Float64Array(dim * classes);
  const gb = new Float64Array(classes);
  for (let start = 0; start < rows; start += batchSize) {
    gw.fill(0);
    gb.fill(0);
    const end = Math.min(rows, start + batchSize);
    for (let t = start; t < end; t++) {
      const i = order[t];
      const xi = x.subarray(i * dim, (i + 1) * dim);
      for (let c = 0; c < classes; c++) z[c] = b[c];
      for (let k = 0; k < dim; k++) {
        const v = xi[k];
        if (v === 0) continue;
        for (let c = 0; c < classes; c++) z[c] += v * w[k * classes + c];
      }
      const m = Math.max(...z);
      let s = 0;
      for (let c = 0; c < classes; c++) s += z[c] = Math.exp(z[c] - m);
      for (let c = 0; c < classes; c++) {
        const delta = z[c] / s - (c === labels[i] ? 1 : 0);
        gb[c] += delta;
        for (let k = 0; k < dim; k++) gw[k * classes + c] += delta * xi[k];
      }
    }
    const scale = rate / (end - start);
    for (let p = 0; p < w.length; p++) w[p] -= scale * gw[p];
    for (let c = 0; c < classes; c++) b[c] -= scale * gb[c];
  }
  const logits = new Float32Array(rows * classes);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < classes; c++) {
      let v = b[c];
      for (let k = 0; k < dim; k++) v += x[i * dim + k] * w[k * classes + c];
      logits[i * classes + c] = v;
    }
  }
  return logits;
}

describe('quality on Fashion-MNIST (t10k, softmax regression after one epoch)', () => {
  it('AdaCore has the lowest preconditioned gradient error at 10 %', async () => {
    const images = await readIdxMatrix(new Uint8Array(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)), { scale: 1 / 255 });
    const labels = await readIdxLabels(new Uint8Array(readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`)));
    const { rows, dim } = images;
    expect(rows).toBe(10000);
    const logits = trainSoftmaxRegression(images.data as Float32Array, labels, rows, dim, 10, 1);
    let correct = 0;
    for (let i = 0; i < rows; i++) {
      const row = logits.subarray(i * 10, i * 10 + 10);
      if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
    }
    const accuracy = correct / rows;
    expect(accuracy).toBeGreaterThan(0.7);
    const batch = softmaxCrossEntropyFromLogits(logits, rows, 10, labels);

    const adacore = createSelector('adacore');
    const table: Record<string, { plain: number; preconditioned: number; cost: number; seconds: number }> = {};
    const selections: Record<string, Selection> = {};
    for (const method of ['adacore', 'craig', 'random'] as const) {
      const selector = method === 'adacore' ? adacore : createSelector(method, { seed: 1 });
      const s = await selector.select(batch, { labels, fraction: 0.1 });
      selections[method] = s;
      expect(s.indices).toHaveLength(1000);
      expect(sum(s.weights)).toBe(rows);
    }
    for (const method of ['adacore', 'craig', 'random'] as const) {
      const s = selections[method];
      table[method] = { ...selectionErrors(batch, s, adacore), cost: s.cost, seconds: s.seconds };
    }
    // Random's error is a random variable: also its mean over 20 draws.
    const draws = createSelector('random', { seed: 2 });
    let randomMean = 0, randomPlainMean = 0;
    for (let t = 0; t < 20; t++) {
      const e = selectionErrors(batch, await draws.select(batch, { labels, fraction: 0.1 }), adacore);
      randomMean += e.preconditioned / 20;
      randomPlainMean += e.plain / 20;
    }
    table['random (mean of 20)'] = { plain: randomPlainMean, preconditioned: randomMean, cost: NaN, seconds: NaN };
    console.log(`Fashion-MNIST t10k, softmax regression one epoch (accuracy ${(accuracy * 100).toFixed(1)} %), 10 % coresets:`);
    console.table(Object.fromEntries(Object.entries(table).map(([m, r]) => [m, {
      'E plain': Number(r.plain.toFixed(4)), 'E preconditioned': Number(r.preconditioned.toFixed(4)),
      seconds: Number(r.seconds.toFixed(3)),
    }])));
    expect(table.adacore.preconditioned).toBeLessThan(table.craig.preconditioned);
    expect(table.adacore.preconditioned).toBeLessThan(table.random.preconditioned);
    expect(table.adacore.preconditioned).toBeLessThan(randomMean);
  });
});
