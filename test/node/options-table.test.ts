// README.md's options tables are the declarations' (src/options), rendered: this test fails
// when they drift apart. UPDATE_DOCS=1 (npm run docs:options) rewrites them in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_TABLES, optionsTable } from '../../src/options/markdown.js';
import { TRAIN_OPTIONS } from '../../src/train/options.js';

// the trainer's options live in its room (above the options room), so its table joins here
const TABLES = { ...README_TABLES, train: optionsTable(TRAIN_OPTIONS) };

const README = new URL('../../README.md', import.meta.url);

function between(text: string, name: string): { start: number; end: number } {
  const open = `<!-- options:${name} -->\n`, close = `\n<!-- /options:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open.trim()} ... ${close.trim()} block`);
  return { start: start + open.length, end };
}

describe('README options tables', () => {
  it('each table in README.md is the one the option declarations render', () => {
    let text = readFileSync(README, 'utf8');
    for (const [name, table] of Object.entries(TABLES)) {
      const { start, end } = between(text, name);
      if (process.env.UPDATE_DOCS === '1') text = text.slice(0, start) + table + text.slice(end);
      else expect(text.slice(start, end), `README.md's options:${name} table (npm run docs:options)`).toBe(table);
    }
    if (process.env.UPDATE_DOCS === '1') writeFileSync(README, text);
  });
});
