// The jobs tray against a real long job: an import of a generated folder of 60,000 small non-DICOM files
// (each is read, refused with a reason and recorded, which takes the importer several seconds). The tray
// shows the running job with a progress bar, re-attaches to it after a page reload (jobs:list), and its
// Cancel button cancels it on the server.
/// <reference lib="dom" />
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
import { SCREENSHOT_DIR } from './server-info.js';

// Enough that the import runs for well over ten seconds on a 2-core machine (about 13 s per 30,000 here).
const FILES = 60_000;
const folder = fileURLToPath(new URL('../.tmp/e2e-jobs/not-dicom/', import.meta.url));

test.beforeAll(() => {
  const done = path.join(folder, `.complete-${FILES}`);
  if (existsSync(done)) return;
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(folder, `d${String(Math.floor(i / 500)).padStart(3, '0')}`);
    if (i % 500 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `f${i}.dcm`), randomBytes(256));
  }
  writeFileSync(done, '');
});

test('the jobs tray shows a running job, re-attaches after a reload, and cancels it', async ({ app, pageErrors }) => {
  test.setTimeout(90_000);
  const started = await app.evaluate(async (paths) => {
    const res = await fetch('/api/call/import:start', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paths, thumbnails: false }),
    });
    return (await res.json()) as { ok: boolean; result: { job: string }; error?: { message: string } };
  }, [folder]);
  expect(started.ok, started.error?.message).toBe(true);
  const jobId = started.result.job;

  const tray = app.getByRole('region', { name: 'Jobs' });
  const item = tray.locator(`li[data-job="${jobId}"]`);
  await expect(item).toBeVisible();
  await expect(item.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await expect(item).toContainText('Import');
  await app.screenshot({ path: path.join(SCREENSHOT_DIR, 'jobs-tray.png'), animations: 'disabled' });

  // A reload loses every in-page state; the tray finds the job again through jobs:list.
  await app.reload();
  await expect(tray.locator(`li[data-job="${jobId}"]`)).toBeVisible();
  await expect(tray).not.toContainText('No jobs running');

  const cancel = tray.getByRole('button', { name: `Cancel Import job ${jobId}` });
  await expect(cancel, 'the import should still be running here; if it finished, raise FILES').toBeVisible({ timeout: 2000 });
  await cancel.click();
  const finished = tray.locator(`li[data-job="${jobId}"][data-state="cancelled"]`);
  await expect(finished).toBeVisible();
  await expect(finished).toContainText('Cancelled');

  const snapshot = await app.evaluate(async (job) => {
    const res = await fetch('/api/call/jobs:get', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ job }),
    });
    return (await res.json()) as { ok: boolean; result: { state: string; current: number; total: number } };
  }, jobId);
  expect(snapshot.ok).toBe(true);
  expect(snapshot.result.state).toBe('cancelled');
  // Cancelled before the end: not every file was processed.
  expect(snapshot.result.total === 0 || snapshot.result.current < snapshot.result.total).toBe(true);

  await finished.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(tray).toContainText('No jobs running');
  expect(pageErrors).toEqual([]);
});
