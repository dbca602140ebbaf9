// The training benchmark's smoke variant (bench/train.mjs --smoke, on the committed slice): it
// runs, prints one JSON document, and every run has the fields the training issue names.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

it('bench/train.mjs --smoke prints runs with time to target, selection and totals, and a summary with speed-ups', () => {
  const r = spawnSync(process.execPath, ['bench/train.mjs', '--smoke'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(doc.environment).toMatchObject({ smoke: true, simd: true });
  expect(doc.runs.length).toBeGreaterThan(10);
  for (const run of doc.runs) {
    for (const key of ['regime', 'model', 'optimizer', 'method', 'fraction', 'every', 'seed', 'learningRate', 'finalAccuracy', 'targetAccuracy', 'secondsToTarget', 'selectionSeconds', 'totalSeconds', 'steps']) {
      expect(run, key).toHaveProperty(key);
    }
    if (run.secondsToTarget !== null) expect(run.secondsToTarget).toBeLessThanOrEqual(run.totalSeconds);
    expect(run.selectionSeconds).toBeLessThanOrEqual(run.totalSeconds);
  }
  const methods = new Set(doc.runs.map((run: { method: string }) => run.method));
  for (const method of ['full', 'random', 'random-epoch', 'craig', 'adacore', 'adacore+polish']) expect(methods.has(method), method).toBe(true);
  expect(doc.summary.find((s: { method: string }) => s.method === 'full').speedupOverFull).toBe(1);
});
