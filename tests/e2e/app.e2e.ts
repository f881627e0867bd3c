// The app in Chromium against the real web mode on a fresh data folder: every section through the
// navigation, the first-run path to Import, the status panel (cpu provider, counts, data folder), the
// themes, keyboard use, and screenshots under tests/.tmp/screenshots/.
/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, nav, test } from './fixtures.js';
import { SCREENSHOT_DIR } from './server-info.js';

const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
  version: string;
};

const SECTIONS = [
  { link: 'Library', hash: '#/library' },
  { link: 'Cohorts', hash: '#/cohorts' },
  { link: 'Pretrain', hash: '#/pretrain' },
  { link: 'Search', hash: '#/search' },
  { link: 'Models', hash: '#/models' },
  { link: 'Status', hash: '#/status' },
] as const;

test.beforeAll(() => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

test('opens on the Library, whose empty state leads to Import', async ({ app, pageErrors }) => {
  // The first-run state needs the fresh, empty catalogue: this file runs first (files run in name order).
  const series = await app.evaluate(async () => {
    const res = await fetch('/api/call/app:info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return ((await res.json()) as { result: { catalogue: { series: number } } }).result.catalogue.series;
  });
  expect(series, 'an earlier test imported series into the shared server; keep app.e2e.ts first').toBe(0);
  await expect(app).toHaveURL(/#\/library$/);
  await expect(app.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
  await expect(app).toHaveTitle(/Library/);
  const main = app.getByRole('main');
  const toImport = main.locator('a[href="#/import"]').filter({ hasText: /import/i }).first();
  await expect(toImport).toBeVisible();
  await toImport.click();
  await expect(app).toHaveURL(/#\/import$/);
  await expect(app.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test('every section is reachable from the navigation and shows its heading', async ({ app, pageErrors }) => {
  for (const section of SECTIONS) {
    const link = nav(app).getByRole('link', { name: section.link, exact: true });
    await link.click();
    await expect(app).toHaveURL(new RegExp(`${section.hash.replace('/', '\\/')}$`));
    await expect(app.getByRole('heading', { level: 1, name: section.link, exact: true })).toBeVisible();
    await expect(link).toHaveAttribute('aria-current', 'page');
    await expect(nav(app).locator('[aria-current="page"]')).toHaveCount(1);
    await app.screenshot({
      path: path.join(SCREENSHOT_DIR, `section-${section.link.toLowerCase()}.png`),
      animations: 'disabled',
    });
  }
  // On an empty catalogue, every workflow section says what it needs and leads to Import (no dead-end buttons).
  const series = await app.evaluate(async () => {
    const res = await fetch('/api/call/app:info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return ((await res.json()) as { result: { catalogue: { series: number } } }).result.catalogue.series;
  });
  expect(series).toBe(0);
  for (const hash of ['#/cohorts', '#/pretrain', '#/search', '#/models']) {
    await goToHash(app, hash);
    const main = app.getByRole('main');
    await expect(main.locator('a[href="#/import"]').first(), `${hash} leads to Import`).toBeVisible();
  }
  // An unknown route says so instead of showing a blank page.
  await goToHash(app, '#/no-such-screen');
  await expect(app.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test('the status panel shows what app:info reports, with cpu working', async ({ app, server, pageErrors }) => {
  await nav(app).getByRole('link', { name: 'Status' }).click();
  await expect(app.getByRole('heading', { level: 1, name: 'Status' })).toBeVisible();

  const cpu = app.locator('li[data-provider="cpu"]');
  await expect(cpu).toBeVisible();
  await expect(cpu).toHaveAttribute('data-works', 'true');
  await expect(cpu.getByText('Works', { exact: true })).toBeVisible();

  // The same facts as the API: version, this run's data folder, and the (empty) catalogue's counts.
  const info = await app.evaluate(async () => {
    const res = await fetch('/api/call/app:info', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return (await res.json()) as {
      ok: boolean;
      result: { version: string; dataDir: string; catalogue: Record<string, number>; providers: { name: string; works: boolean }[] };
    };
  });
  expect(info.ok).toBe(true);
  expect(info.result.version).toBe(pkg.version);
  expect(info.result.dataDir).toBe(server.dataDir);
  const app_ = app.getByRole('region', { name: 'Application' });
  await expect(app_.getByText(pkg.version, { exact: true })).toBeVisible();
  await expect(app_.getByText(server.dataDir, { exact: true })).toBeVisible();
  const catalogue = app.getByRole('region', { name: 'Catalogue' });
  for (const [label, key] of [
    ['Patients', 'patients'],
    ['Studies', 'studies'],
    ['Series', 'series'],
    ['Files', 'files'],
  ] as const) {
    const count = info.result.catalogue[key];
    expect(typeof count).toBe('number');
    await expect(catalogue.locator('div', { has: app.locator('dt', { hasText: label }) }).locator('dd')).toHaveText(
      (count as number).toLocaleString('en-US'),
    );
  }
  // One row per provider the server reported, each with a works / does-not-work badge.
  const rows = app.locator('li[data-provider]');
  await expect(rows).toHaveCount(info.result.providers.length);
  for (const p of info.result.providers) {
    await expect(app.locator(`li[data-provider="${p.name}"]`).getByText(p.works ? 'Works' : 'Does not work', { exact: true })).toBeVisible();
  }

  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'status.png'), fullPage: true, animations: 'disabled' });
  expect(pageErrors).toEqual([]);
});

test('light and dark themes apply, persist across a reload, and follow the system', async ({ app, pageErrors }) => {
  const html = app.locator('html');
  const theme = app.getByRole('group', { name: 'Theme' });

  await theme.getByRole('radio', { name: 'Light' }).check();
  await expect(html).toHaveAttribute('data-theme', 'light');
  const lightBg = await app.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'app.png'), animations: 'disabled' });

  await theme.getByRole('radio', { name: 'Dark' }).check();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const darkBg = await app.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(darkBg).not.toBe(lightBg);
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'app-dark.png'), animations: 'disabled' });
  await nav(app).getByRole('link', { name: 'Status' }).click();
  await expect(app.locator('li[data-provider="cpu"]')).toBeVisible();
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'status-dark.png'), fullPage: true, animations: 'disabled' });

  await app.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(theme.getByRole('radio', { name: 'Dark' })).toBeChecked();

  await theme.getByRole('radio', { name: 'System' }).check();
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await app.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(pageErrors).toEqual([]);
});

test('keyboard: skip link, Tab into the navigation, arrow keys, Enter switches sections', async ({ app, pageErrors }) => {
  await app.locator('body').focus();
  await app.keyboard.press('Tab');
  const skip = app.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('main')).toBeFocused();

  // From the top of the page, Tab reaches the first navigation link.
  await app.reload();
  await expect(nav(app)).toBeVisible();
  const first = nav(app).getByRole('link', { name: 'Library' });
  let reached = false;
  for (let i = 0; i < 15 && !reached; i++) {
    await app.keyboard.press('Tab');
    reached = await first.evaluate((el) => el === document.activeElement);
  }
  expect(reached, 'Tab reaches the navigation').toBe(true);
  // The focus ring is visible (an outline, not just a colour change).
  const outline = await first.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');

  await app.keyboard.press('ArrowDown');
  const cohorts = nav(app).getByRole('link', { name: 'Cohorts' });
  await expect(cohorts).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: 'Cohorts' })).toBeVisible();
  await expect(cohorts).toHaveAttribute('aria-current', 'page');

  await app.keyboard.press('End');
  await expect(nav(app).getByRole('link', { name: 'Status' })).toBeFocused();
  await app.keyboard.press('Home');
  await expect(first).toBeFocused();
  await app.keyboard.press('ArrowUp');
  await expect(nav(app).getByRole('link', { name: 'Status' })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('heading', { level: 1, name: 'Status' })).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test('the jobs tray is connected and idle on a fresh data folder', async ({ app, pageErrors }) => {
  await expect(app.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(app.getByRole('region', { name: 'Jobs' })).toContainText('No jobs running');
  expect(pageErrors).toEqual([]);
});

async function goToHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await expect(page).toHaveURL(new RegExp(`${hash.replace('/', '\\/')}$`));
}
