// The jobs tray against a real long job: an import of 200 links to one real brain MR volume (Colin27,
// /usr/share/mricron/templates/ch2.nii.gz from Debian's mricron-data, 181 x 217 x 181, gzipped): each is
// decompressed, catalogued and thumbnailed, which takes the importer well over a minute on a 2-core
// machine, so the job is certainly still running when the test cancels it a few seconds in. The tray
// shows the running job with a progress bar, re-attaches to it after a page reload (jobs:list), and its
// Cancel button cancels it on the server. Hard links (or symbolic links) cost no disk space.
/// <reference lib="dom" />
import { existsSync, linkSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
import { SCREENSHOT_DIR } from './server-info.js';

const VOLUME = '/usr/share/mricron/templates/ch2.nii.gz';
const COPIES = 200;
const folder = fileURLToPath(new URL('../.tmp/e2e-jobs/colin27-links/', import.meta.url));

test.beforeAll(() => {
  expect(existsSync(VOLUME), `${VOLUME} is missing: apt-get install mricron-data`).toBe(true);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < COPIES; i++) {
    const file = path.join(folder, `colin27-${String(i).padStart(3, '0')}.nii.gz`);
    try {
      linkSync(VOLUME, file);
    } catch {
      symlinkSync(VOLUME, file); // another filesystem: a symbolic link reads the same
    }
  }
});

test('the jobs tray shows a running job, re-attaches after a reload, and cancels it', async ({ app, pageErrors }) => {
  test.setTimeout(90_000);
  const started = await app.evaluate(async (paths) => {
    const res = await fetch('/api/call/import:start', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paths, thumbnails: true }),
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
  await expect(cancel, 'the import should still be running here; if it finished, raise COPIES').toBeVisible({ timeout: 2000 });
  await cancel.click();
  await expect(cancel).toBeDisabled();
  await expect(cancel).toHaveText('Cancelling…');
  // Files already being read finish first, so stopping can take a few seconds.
  const finished = tray.locator(`li[data-job="${jobId}"][data-state="cancelled"]`);
  await expect(finished).toBeVisible({ timeout: 60_000 });
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
