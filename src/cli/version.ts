// The package version, read once from the package.json next to dist/ (the CLI is bundled as dist/cli.mjs).
import { readFile } from 'node:fs/promises';

let version: Promise<string> | undefined;

export function packageVersion(): Promise<string> {
  version ??= readFile(new URL('../package.json', import.meta.url), 'utf8')
    .then((text) => String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown'))
    .catch(() => 'unknown');
  return version;
}
