// Playwright end-to-end tests: Debian's Chromium (never a downloaded browser) against the real web mode
// (`voxelbase serve` on a fresh temporary data folder, started by global-setup.ts). Run `npm run build`
// first: the server serves dist/renderer and the CLI runs from dist/app.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Each run writes its traces and failure screenshots into a folder of its own: Playwright empties its
// output folder when a run starts, so two runs from one checkout sharing tests/.tmp/e2e-results deleted
// each other's trace files mid-test (browserContext.close: ENOENT). The runner names the folder once;
// its workers inherit the variable (they load this file again).
process.env.VOXELBASE_E2E_RUN ??= `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
const outputDir = here(`../.tmp/e2e-results/${process.env.VOXELBASE_E2E_RUN}`);

export default defineConfig({
  testDir: here('.'),
  // *.e2e.ts, not *.spec.ts, so that vitest's default pattern never picks these files up.
  testMatch: /.*\.e2e\.ts$/,
  outputDir,
  globalSetup: here('./global-setup.ts'),
  globalTeardown: here('./global-teardown.ts'),
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Generous but bounded: on a loaded 2-core machine (CI, or one shared with benchmarks) a page load with
  // Chromium, the server and the importer's workers competing for the cores took 10-15 s; every wait in
  // the tests is on a state (toBeVisible, toHaveText, expect.poll), so a generous bound costs nothing
  // when the machine is fast.
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.VOXELBASE_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
