// The browser leg: the shared cases (test/shared/cases.ts) in headless Debian Chromium, in the
// page and in a module Worker, against dist/adacore.mjs (run `npm run build` first).
//   npx vitest run --config vitest.browser.config.mjs
// Chromium comes from the system (apt-get install chromium), never from a Playwright download.
// scripts/test-all.sh skips this leg when the browser is missing and CI is unset.
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(`vitest.browser.config.mjs: no Chromium at ${executablePath}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
}

export default defineConfig({
  // the shared property cases import fast-check (test/shared/cases/properties.ts): bundled before
  // the run, not discovered during it (a late optimisation reloads the page)
  optimizeDeps: { include: ['fast-check'] },
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath,
          args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--no-first-run', '--disable-quic'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
