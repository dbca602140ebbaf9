// Node specifics of the selection Workers: a script that selects with threads exits by itself
// (idle Workers must not hold the event loop; busy ones must, or Node exits mid-await).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUNDLE = fileURLToPath(new URL('../../dist/adacore.mjs', import.meta.url));

describe('selection Workers in Node', () => {
  it('a script that selects with threads: 2 finishes and exits without releaseWorkers()', () => {
    const script = `
      import { selectCoreset } from ${JSON.stringify(BUNDLE)};
      const x = Float32Array.from({ length: 4000 * 4 }, (_, i) => Math.sin(i * 0.37));
      const labels = Int32Array.from({ length: 4000 }, (_, i) => i % 4);
      const first = await selectCoreset(x, { dim: 4, labels, budget: 100, threads: 2 });
      await new Promise((resolve) => setTimeout(resolve, 50)); // Workers idle in between
      const second = await selectCoreset(x, { dim: 4, labels, budget: 100, threads: 2 });
      console.log(first.threads, second.threads, first.indices.join() === second.indices.join());
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('2 2 true');
  });
});
