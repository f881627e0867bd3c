// The jobs tray against a real long job: an import of COPIES hard links to one real brain MR volume
// (Colin27, /usr/share/mricron/templates/ch2.nii.gz from Debian's mricron-data, 181 x 217 x 181, gzipped).
// Every link is a series of its own, inflated when parsed and again for its thumbnails. The tray shows
// the running job with a progress bar, re-attaches to it after a page reload (jobs:list), and its Cancel
// button cancels it on the server: the button turns into a disabled "Cancelling…" at once, and the row
// ends as 'cancelled' with not every file processed.
//
// Nothing here depends on how fast the machine or the importer is:
// - the job is long by construction: ~90 ms of CPU per file today, ~45 s on two idle cores (still ~15 s
//   if the importer gets 3x faster) against the ~3 s the test takes to reach Cancel; and the test checks
//   through jobs:get that the job is still reading files, far from its end, right before it clicks;
// - the transitional "Cancelling…" state is recorded in the page by a MutationObserver installed
//   before the click (the button changes synchronously in the click handler, long before any answer
//   from the server can remove the row), so it is checked however quickly the cancel completes;
// - the links live in a fresh folder of their own (long-import.ts).
/// <reference lib="dom" />
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.js';
import { farFromTheEnd, linkFolder } from './long-import.js';
import { SCREENSHOT_DIR } from './server-info.js';

const VOLUME = '/usr/share/mricron/templates/ch2.nii.gz';
const COPIES = 1000;
let folder = '';

test.beforeAll(() => {
  expect(existsSync(VOLUME), `${VOLUME} is missing: apt-get install mricron-data`).toBe(true);
  folder = linkFolder(VOLUME, COPIES, 'colin27');
});

test.afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

interface Snapshot {
  state: string;
  step: string;
  current: number;
  total: number;
  message?: string;
}

test('the jobs tray shows a running job, re-attaches after a reload, and cancels it', async ({ app, pageErrors }) => {
  // Bounded but generous: today the importer finishes the step it is in before it stops (see below).
  test.setTimeout(180_000);
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
  const jobsGet = () =>
    app.evaluate(async (job) => {
      const res = await fetch('/api/call/jobs:get', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ job }),
      });
      return (await res.json()) as { ok: boolean; result: Snapshot };
    }, jobId);

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
  await expect(cancel).toBeEnabled();
  await expect(cancel).toHaveText('Cancel');

  // The job must still be running, far from its end, when Cancel is clicked; if this fails, the
  // importer got much faster: raise COPIES.
  await expect.poll(async () => (await jobsGet()).result.step, { message: 'the scan of the folder ends' }).not.toBe('scan');
  const before = (await jobsGet()).result;
  expect(before.state, 'the import should still be running here; if it finished, raise COPIES').toBe('running');
  expect(farFromTheEnd(before), `${before.step} ${before.current} / ${before.total}: the import should be far from its end; raise COPIES`).toBe(true);

  // Record, in the page, whether the button ever showed the disabled "Cancelling…" state.
  await app.evaluate((label) => {
    const w = window as unknown as { sawCancelling: boolean };
    w.sawCancelling = false;
    const check = () => {
      const button = document.querySelector(`button[aria-label="${label}"]`) as HTMLButtonElement | null;
      if (button?.disabled && button.textContent?.trim() === 'Cancelling…') w.sawCancelling = true;
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  }, `Cancel Import job ${jobId}`);
  const clicked = Date.now();
  await cancel.click();
  // Either still stopping (disabled "Cancelling…") or already stopped: both are right; which one
  // Playwright sees first depends only on how quickly the server stops.
  const stopping = tray.getByRole('button', { name: `Cancel Import job ${jobId}`, disabled: true }).filter({ hasText: /^\s*Cancelling…\s*$/ });
  const finished = tray.locator(`li[data-job="${jobId}"][data-state="cancelled"]`);
  await expect(stopping.or(finished)).toBeVisible();
  expect(await app.evaluate(() => (window as unknown as { sawCancelling: boolean }).sawCancelling), 'the button showed a disabled "Cancelling…"').toBe(true);

  // A cancel drops the worker tasks still queued; only the one running on each worker finishes (1.3-1.4 s on
  // an idle 2-core machine; it took 17-200 s when every queued batch ran first). 60 s allows for a loaded machine.
    await expect(finished).toBeVisible({ timeout: 60_000 });
  await expect(finished).toContainText('Cancelled');
  console.log(`import of ${COPIES} files cancelled ${((Date.now() - clicked) / 1000).toFixed(1)} s after Cancel (at step ${before.step}, ${before.current} / ${before.total})`);

  const after = await jobsGet();
  expect(after.ok).toBe(true);
  expect(after.result.state).toBe('cancelled');
  // Cancelled before the end: not every file was processed.
  expect(after.result.total, `cancelled at step ${after.result.step}`).toBeGreaterThan(0);
  expect(after.result.current).toBeLessThan(after.result.total);

  await finished.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(tray).toContainText('No jobs running');
  expect(pageErrors).toEqual([]);
});
