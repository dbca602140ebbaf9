// `adacore train` end to end: files in, run.json and the HTML chart out, Debian's Fashion-MNIST
// with --classes for a binary task, and one-line usage errors that name the flag.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'adacore.mjs');
const SLICE = join(ROOT, 'examples/data/fashion-mnist-slice');
const FASHION = '/usr/share/datasets/fashion-mnist';
let dir: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'train', ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ADACORE_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'adacore-train-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

const sliceArgs = [
  '--input', join(SLICE, 'train-images-idx3-ubyte.gz'), '--labels', join(SLICE, 'train-labels-idx1-ubyte.gz'),
  '--test-input', join(SLICE, 't10k-images-idx3-ubyte.gz'), '--test-labels', join(SLICE, 't10k-labels-idx1-ubyte.gz'),
  '--scale', String(1 / 255),
];

describe('adacore train', () => {
  it('trains softmax regression on an AdaCore coreset of the committed slice and writes run.json and the chart', () => {
    const r = cli(...sliceArgs, '--method', 'adacore', '--fraction', '0.2', '--optimizer', 'lbfgs', '--epochs', '4', '--iterations', '3',
      '--target-accuracy', '0.5', '--out', 'run.json', '--chart', 'run.html');
    expect(r.stderr).toMatch(/^trained softmax on 2000 rows by adacore: loss [\d.]+, test accuracy [\d.]+ after 12 steps, [\d.]+ s \(selection [\d.]+ s\), wrote run.json and run.html\n$/);
    expect(r.status).toBe(0);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run.options).toMatchObject({ method: 'adacore', fraction: 0.2, optimizer: 'lbfgs', epochs: 4, model: 'softmax', rows: 2000, dim: 784 });
    expect(run.curve).toHaveLength(5);
    for (const key of ['epoch', 'steps', 'seconds', 'selectionSeconds', 'loss', 'accuracy', 'testAccuracy']) expect(run.curve[4]).toHaveProperty(key);
    expect(run.curve[4].rows).toBe(400);
    expect(run.finalTestAccuracy).toBeGreaterThan(0.5);
    expect(typeof run.secondsToTarget).toBe('number');
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('adacore (lbfgs)');
    expect(html).not.toMatch(/NaN/);
  });

  it.skipIf(!existsSync(join(FASHION, 'train-images-idx3-ubyte.gz')))('--data fashion-mnist --classes 0,6: a binary task for logistic regression', () => {
    const r = cli('--data', 'fashion-mnist', '--classes', '0,6', '--model', 'logistic', '--optimizer', 'newton', '--epochs', '2', '--quiet');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const run = JSON.parse(r.stdout);
    expect(run.options).toMatchObject({ rows: 12000, classes: [0, 6], model: 'logistic' });
    expect(run.finalTestAccuracy).toBeGreaterThan(0.75);
  });

  const errors: [string, string[], RegExp][] = [
    ['no data', ['--epochs', '1'], /^adacore: give --data fashion-mnist or --input FILE --labels FILE/],
    ['zero learning rate', [...sliceArgs, '--learning-rate', '0'], /^adacore: --learning-rate: expected a positive number, got 0\n$/],
    ['zero epochs', [...sliceArgs, '--epochs', '0'], /^adacore: --epochs: expected a positive integer, got 0\n$/],
    ['fraction outside (0, 1]', [...sliceArgs, '--method', 'craig', '--fraction', '1.5'], /^adacore: --fraction: expected a number in \(0, 1\], got 1.5\n$/],
    ['unknown method', [...sliceArgs, '--method', 'herding'], /^adacore: --method: unknown method "herding"; expected one of full, random, random-epoch, craig, adacore\n$/],
    ['logistic on ten classes', [...sliceArgs, '--model', 'logistic', '--epochs', '1'], /^adacore: --model: logistic regression is binary, but the labels have 10 classes/],
    ['batch larger than the coreset', [...sliceArgs, '--method', 'random', '--fraction', '0.01', '--batch-size', '64', '--epochs', '1'], /^adacore: --batch-size: 64 is more than the 20 rows in play/],
    ['bad --classes', [...sliceArgs, '--classes', '3'], /^adacore: --classes: expected two different class labels/],
    ['--chart in a missing folder (named as --chart, not --out)', [...sliceArgs, '--epochs', '1', '--chart', 'nofolder/run.html'], /^adacore: --chart: cannot write nofolder\/run.html: the folder nofolder does not exist\n$/],
    ['--chart that is a folder', [...sliceArgs, '--epochs', '1', '--chart', '.'], /^adacore: --chart: \. is a folder; give a file name\n$/],
    ['missing labels file', ['--input', join(SLICE, 'train-images-idx3-ubyte.gz'), '--labels', 'nope.npy'], /^adacore: nope.npy: no such file\n$/],
  ];
  for (const [name, args, message] of errors) {
    it(`error: ${name}`, () => {
      const r = cli(...args, '--out', 'bad.json');
      expect(r.status).not.toBe(0);
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('    at ');
      expect(readdirSync(dir).filter((f) => f.startsWith('bad') || f.includes('.tmp'))).toEqual([]);
    });
  }

  it('--help lists the training flags from their declarations', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    for (const flag of ['--method', '--fraction', '--every', '--warmup', '--optimizer', '--epochs', '--batch-size', '--learning-rate', '--polish', '--chart', '--classes']) {
      expect(r.stdout).toContain(flag);
    }
  });
});
