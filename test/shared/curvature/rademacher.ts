// The Rademacher probes of the Hutchinson estimator: ±1, balanced, reproducible per (seed, stream).
import { ok, sameArray } from '../assert.ts';
import { caseList } from './helpers.ts';
import type { CurvatureCase, TfLib } from './types.ts';

export function rademacherCases(lib: TfLib): CurvatureCase[] {
  const { list, add } = caseList();

  add('tf: rademacher probes are ±1, balanced and reproducible per (seed, stream)', async () => {
    const a = lib.rademacher(10000, 42, 7);
    ok(a.every((v) => v === 1 || v === -1), 'only ±1');
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    ok(Math.abs(mean) < 0.05, `balanced: mean ${mean}`);
    sameArray(lib.rademacher(10000, 42, 7), a, 'same seed and stream');
    ok(lib.rademacher(64, 42, 8).some((v, i) => v !== a[i]), 'another stream differs');
    ok(lib.rademacher(64, 43, 7).some((v, i) => v !== a[i]), 'another seed differs');
  });

  return list;
}
