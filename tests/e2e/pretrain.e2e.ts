// Pretraining end to end, in Chromium against a web-mode server of this file's own (a fresh data folder holding two
// real brain MR volumes, Colin27 and its skull-stripped twin from mricron-data, imported through import:start): a
// cohort of both is made (cohort:create); on the Pretrain screen the cohort is picked, the plan shows the memory
// estimate and the provider, a tiny configuration is typed in (ResNet-10 widths 8-16, heads 32 -> 8, 16^3 at 4 mm,
// batch 8) and started; the loss curve gets points and the step counter moves; Pause holds the run (the step stops,
// the run shows paused), Resume lets it finish; the finished run is in the history, done, and ticking it shows its
// curve in the comparison chart. Screenshots (1024 and 1440 px, light and dark): tests/.tmp/screenshots/pretrain-*.png.
/// <reference lib="dom" />
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test as base } from './fixtures.js';
import { SCREENSHOT_DIR, type ServerInfo } from './server-info.js';
import { startServer, stopServer } from './server-process.js';
import { corpusCall as call } from './corpus.js';

const TEMPLATES = '/usr/share/mricron/templates';
// Long enough (a tiny step takes ~0.1 s) that the pause, asked once the curve has moved, always lands before the end:
// the dashboard follows the run through polled metrics, so a short run could end before the click.
const STEPS = 200;

interface Own {
  server: ServerInfo;
  cohort: number;
}

const test = base.extend<{ own: Own }, { ownWorker: Own }>({
  ownWorker: [
    async ({}, use) => {
      const src = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-pretrain-src-'));
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-pretrain-data-'));
      for (const f of ['ch2.nii.gz', 'ch2bet.nii.gz']) copyFileSync(path.join(TEMPLATES, f), path.join(src, f));
      const server = await startServer(dataDir);
      try {
        const { job } = await call<{ job: string }>(server, 'import:start', { paths: [src], thumbnails: false });
        await expect.poll(async () => (await call<{ state: string }>(server, 'jobs:get', { job })).state, { timeout: 120_000 }).toBe('done');
        const ids = await call<number[]>(server, 'series:ids', { filter: {} });
        const cohort = await call<{ id: number }>(server, 'cohort:create', { name: 'Colin pair', seriesIds: ids });
        await use({ server, cohort: cohort.id });
      } finally {
        await stopServer(server);
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(src, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  own: async ({ ownWorker }, use) => {
    await use(ownWorker);
  },
  server: async ({ ownWorker }, use) => {
    await use(ownWorker.server);
  },
});

/** Screenshots at 1024 and 1440 px wide, light and dark, tall enough to hold the whole screen (its content scrolls
 *  inside the shell, so a full-page shot would not). */
async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const size = page.viewportSize();
  for (const width of [1024, 1440]) {
    await page.setViewportSize({ width, height: 2200 });
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      await page.waitForTimeout(200); // the charts re-read the theme's colours and follow the width
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}${theme === 'dark' ? '-dark' : ''}.png`), animations: 'disabled' });
    }
  }
  await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
  if (size) await page.setViewportSize(size);
}

const points = (page: Page) => page.getByTestId('loss-chart').getAttribute('data-points').then(Number);
const stepOf = async (page: Page) => Number(((await page.getByTestId('fig-step').textContent()) ?? '0').split('/')[0]);

test('pick a cohort, start a tiny run, watch the loss, pause and resume it, find it done in the history', async ({ app, own, pageErrors }) => {
  test.setTimeout(300_000);
  await app.goto(`${own.server.origin}/#/pretrain`);
  await expect(app.getByRole('heading', { level: 1, name: 'Pretrain' })).toBeVisible();
  const form = app.getByTestId('pretrain-form');
  await form.locator('#pretrain-cohort').selectOption(String(own.cohort));
  // the plan for this machine and cohort: a memory estimate and the provider
  await expect(form.getByTestId('memory-estimate')).toContainText(/MB|GB/);
  await expect(form.getByTestId('plan-provider')).toHaveText('cpu');
  await expect(form.getByTestId('field-arch')).toContainText('Default (resnet10)');

  await form.getByTestId('field-input').fill('16');
  await form.getByTestId('field-spacing').fill('4');
  await form.getByTestId('field-batch').fill('8');
  await form.getByTestId('field-steps').fill(String(STEPS));
  await form.getByTestId('field-optimizer').selectOption('adamw');
  await form.getByTestId('field-lr').fill('0.001');
  await form.getByText('More settings').click();
  await form.getByTestId('field-widths').fill('8, 8, 16, 16');
  await form.getByTestId('field-heads').fill('32, 8, 32');
  await form.getByTestId('field-name').fill('tiny e2e run');
  await expect(form.getByTestId('plan')).toContainText(`16×16×16 voxels of 4 mm, batch 8, ${STEPS} steps, AdamW`);
  // the augmentation preview of a member, with the run's box and spacing
  await expect(form.getByTestId('augment-preview')).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  await expect(form.getByTestId('augment-preview')).toContainText('box 16×16×16');
  await shoot(app, 'pretrain-form');
  await form.getByTestId('start').click();

  const dash = app.getByTestId('run-dashboard');
  await expect(dash).toBeVisible();
  await expect(dash.getByRole('heading', { name: /tiny e2e run/ })).toBeVisible();
  // the loss curve moves: points arrive and the step counter goes up
  await expect.poll(() => points(app), { timeout: 180_000 }).toBeGreaterThanOrEqual(3);
  const firstPoints = await points(app);
  await expect.poll(() => points(app), { timeout: 60_000 }).toBeGreaterThan(firstPoints);
  await expect(dash.getByTestId('fig-provider')).toHaveText('cpu');
  await expect(dash.getByTestId('fig-loss')).toHaveText(/^\d+\.\d{4}$/);

  // pause: the run holds (the server says paused, the step stops), then resume
  await dash.getByTestId('pause').click();
  await expect(dash).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await expect(dash.getByTestId('resume')).toBeVisible();
  const held = await stepOf(app);
  expect(held).toBeLessThan(STEPS);
  await app.waitForTimeout(1500);
  expect(await stepOf(app)).toBe(held);
  const run = Number(await dash.getAttribute('data-run'));
  const record = await call<{ state: string; step: number }>(own.server, 'runs:get', { run });
  expect(record).toMatchObject({ state: 'paused', step: held });
  await shoot(app, 'pretrain-paused');
  await dash.getByTestId('resume').click();
  await expect(dash).toHaveAttribute('data-state', /^(running|done)$/);

  // it finishes, and the history has it, done
  const row = app.getByTestId('history-row').and(app.locator(`[data-run="${run}"]`));
  await expect(row).toHaveAttribute('data-state', 'done', { timeout: 240_000 });
  await expect(dash.getByTestId('fig-step')).toHaveText(`${STEPS} / ${STEPS}`);
  await expect(dash.getByTestId('run-state')).toHaveText('Done');
  const metrics = await call<{ metrics: { step: number }[] }>(own.server, 'runs:metrics', { run, maxPoints: 1000 });
  expect(metrics.metrics.map((m) => m.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  await row.getByTestId('compare').check();
  await expect(app.getByTestId('compare-chart')).toHaveAttribute('data-points', String(STEPS));
  await shoot(app, 'pretrain-done');
  expect(pageErrors).toEqual([]);
});
