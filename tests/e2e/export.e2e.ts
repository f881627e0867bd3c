// Export in the web mode, on a server of its own: a real volume (Colin27 skull-stripped, mricron-data) imported and
// pretrained two steps with a tiny ResNet-10 through the API, then on the Export screen (#/export/RUN) the user
// exports it: progress, then the browser downloads one zip, which Python's zipfile opens: the ONNX model, the two
// safetensors and the model card, every byte as on the server (the card's SHA-256), the card naming the run and the
// MONAI call; the export is listed as kept in the data folder. Screenshots in light and dark under
// tests/.tmp/screenshots/.
/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { SCREENSHOT_DIR, type ServerInfo } from './server-info.js';
import { startServer, stopServer } from './server-process.js';

let server: ServerInfo;
let root = '';

test.beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-export-'));
  mkdirSync(path.join(root, 'src'));
  copyFileSync('/usr/share/mricron/templates/ch2bet.nii.gz', path.join(root, 'src', 'ch2bet.nii.gz'));
  server = await startServer(path.join(root, 'data'));
});

test.afterAll(async () => {
  if (server) await stopServer(server);
  if (root) rmSync(root, { recursive: true, force: true });
});

test('exports a pretrained run and downloads it as a zip', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  const call = (name: string, args: unknown) =>
    page.evaluate(
      async ([n, a]) => {
        const res = await fetch(`/api/call/${n}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) });
        return (await res.json()) as { ok: boolean; result: never; error?: { message: string } };
      },
      [name, args] as const,
    );
  const done = async (job: string) => {
    await expect.poll(async () => ((await call('jobs:get', { job })).result as { state: string }).state, { timeout: 180_000 }).toMatch(/done|failed|cancelled/);
    return (await call('jobs:get', { job })).result as { state: string; error?: { message: string } };
  };
  const imp = await call('import:start', { paths: [path.join(root, 'src')], thumbnails: false });
  expect(imp.ok, imp.error?.message).toBe(true);
  expect((await done((imp.result as { job: string }).job)).state).toBe('done');
  const series = ((await call('series:list', {})).result as { rows: { id: number }[] }).rows.map((r) => r.id);
  const options = { arch: 'resnet10', widths: [8, 8, 16, 16], heads: { projHidden: 32, projOut: 8, predHidden: 32 }, input: 16, spacing: 4, batch: 2, norm: 'batch', lr: 1e-3, optimizer: 'adamw', threads: 1, loaderWorkers: 1, seed: 3, steps: 2 };
  const started = await call('pretrain:start', { series, options, name: 'e2e tiny run' });
  expect(started.ok, started.error?.message).toBe(true);
  const { job, run } = started.result as { job: string; run: number };
  const trained = await done(job);
  expect(trained.state, trained.error?.message).toBe('done');

  await page.goto(`${server.origin}/#/export/${run}`);
  await expect(page.getByRole('heading', { name: 'Export', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'e2e tiny run' })).toBeVisible();
  await expect(page.getByText('step 2 of 2')).toBeVisible();
  const downloading = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByTestId('export-start').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^run-${run}-step-2-\\d{8}T\\d{6}Z\\.zip$`));
  const zip = path.join(root, 'download.zip');
  await download.saveAs(zip);
  await expect(page.getByTestId('export-done')).toContainText('Exported to');
  await expect(page.getByTestId('export-done')).toContainText('encoder.onnx');
  await expect(page.getByTestId('export-done').locator('pre')).toContainText("encoder.load_state_dict(load_file('encoder.safetensors'), strict=True)");
  await expect(page.getByRole('region', { name: 'Exports kept in the data folder' }).getByRole('listitem')).toHaveCount(1);

  const listed = JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', `
import sys, zipfile, json, hashlib
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
names = [i.filename for i in z.infolist()]
card = json.loads(z.read([n for n in names if n.endswith('/model-card.json')][0]))
sha = {n.split('/')[-1]: hashlib.sha256(z.read(n)).hexdigest() for n in names}
print(json.dumps({'names': names, 'card': card, 'sha': sha}))`, zip], { encoding: 'utf8' }),
  ) as { names: string[]; card: { run: { id: number; name: string }; architecture: { monai: { call: string } }; files: { name: string; sha256: string }[] }; sha: Record<string, string> };
  expect(listed.names.map((n) => n.split('/')[1]).sort()).toEqual(['encoder.onnx', 'encoder.safetensors', 'heads.safetensors', 'model-card.json', 'model-card.md']);
  expect(listed.card.run).toMatchObject({ id: run, name: 'e2e tiny run' });
  expect(listed.card.architecture.monai.call).toContain("ResNet(block='basic', layers=[1, 1, 1, 1], block_inplanes=[8, 8, 16, 16]");
  for (const f of listed.card.files) expect(listed.sha[f.name], f.name).toBe(f.sha256);

  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 1250 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(400); // buttons fade their colours over 120 ms
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `export-${scheme}.png`), fullPage: true });
  }
  expect(errors).toEqual([]);
});
