// The API reference (docs/api.md): typedoc.json builds it from the doc comments of the three
// entry points with every warning an error, so a broken {@link}, a public signature naming a
// type the entry points do not export, or a type error fails here. The pages go to a temp dir;
// docs/api/ is never written by this test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TYPEDOC = join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');
const out = mkdtempSync(join(tmpdir(), 'adacore-api-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('API reference (typedoc.json)', () => {
  it('builds without warnings and has the pages of the main functions and classes of each entry point', () => {
    const run = spawnSync(process.execPath, [TYPEDOC, '--options', 'typedoc.json', '--out', out, '--treatWarningsAsErrors'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const log = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    expect(log, log).not.toMatch(/\[(warning|error)\]/);
    expect(run.status, log).toBe(0);

    const pages = {
      'modules/adacore.html': 'adacore',
      'modules/adacore_tf.html': 'adacore/tf',
      'modules/adacore_distributed.html': 'adacore/distributed',
      'functions/adacore.selectCoreset.html': 'selectCoreset',
      'classes/adacore.AdaCoreSelector.html': 'AdaCoreSelector',
      'functions/adacore_tf.train.html': 'train',
      'functions/adacore_tf.initBackend.html': 'initBackend',
      'functions/adacore_distributed.distributedSelect.html': 'distributedSelect',
    };
    for (const [page, name] of Object.entries(pages)) {
      const path = join(out, page);
      expect(existsSync(path), page).toBe(true);
      expect(readFileSync(path, 'utf8')).toContain(`<title>${name} | adacore</title>`);
    }
  }, 120_000);
});
