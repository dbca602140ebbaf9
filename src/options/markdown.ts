// The options tables of README.md, rendered from the declarations (test/node/options-table.test.ts
// holds README.md to them; `npm run docs:options` rewrites them). Not part of the bundles.
import type { OptionSpec } from './declare.js';
import { BUDGET_OPTIONS, SELECT_OPTIONS } from './select.js';
import { ADACORE_OPTIONS, RANDOM_OPTIONS } from './selectors.js';

function defaultText(spec: OptionSpec<unknown>): string {
  if (spec.defaultText !== undefined) return spec.defaultText;
  return spec.default === undefined ? '(none)' : `\`${String(spec.default)}\``;
}

function domainText(spec: OptionSpec<unknown>): string {
  return spec.kind === 'choice' ? (spec.choices as string[]).map((c) => `\`${c}\``).join(', ') : spec.expected;
}

/** One Markdown table: option, default, allowed values, CLI flag, meaning. */
export function optionsTable(declarations: Record<string, OptionSpec<any>>): string {
  const rows = Object.entries(declarations).map(([name, spec]) =>
    `| \`${name}\` | ${defaultText(spec)} | ${domainText(spec)} | ${spec.flag === undefined ? '' : `\`--${spec.flag}\``} | ${spec.doc.replace(/\|/g, '\\|')} |`);
  return ['| option | default | allowed | CLI | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The tables README.md shows, by the name of their marker (<!-- options:NAME -->). */
export const README_TABLES: Record<string, string> = {
  select: optionsTable({ ...BUDGET_OPTIONS, ...SELECT_OPTIONS }),
  selectors: optionsTable({ ...ADACORE_OPTIONS, ...RANDOM_OPTIONS }),
};
