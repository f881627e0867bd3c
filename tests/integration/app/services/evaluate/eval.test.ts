// `voxelbase eval` on a labelled corpus: its kNN-1 (for the model and for the random baseline) equals an
// independent numpy computation from `voxelbase embeddings export`; labels come from a CSV by source path (rows
// that match nothing are reported by line) and from a catalogued DICOM attribute; figures are kept per model.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalResult, LabelImportResult } from '../../../../../app/contract/types.js';
import { type Corpus, embedAll, importCorpus } from '../embed/corpus.js';

const run = promisify(execFile);
let c: Corpus;
let model = 0;
let labelsCsv = '';

async function vb(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [path.resolve('bin/voxelbase.js'), '--data-dir', c.h.dataDir, '--json', ...args], {
    env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
    timeout: 300_000,
    maxBuffer: 16 << 20,
  });
  return stdout;
}

beforeAll(async () => {
  c = await importCorpus('eval');
  model = (await embedAll(c.h)).model.id;
  await c.h.close(); // the CLI below opens the same data folder
  labelsCsv = path.join(c.root, 'labels.csv');
  const p = (f: string) => path.join(c.src, f);
  fs.writeFileSync(
    labelsCsv,
    [
      'source_path,label',
      `${p('anatomical.nii')},brain`,
      `${p('reoriented_anat_moved.nii')},brain`,
      `${p('resampled_anat_moved.nii')},brain`,
      `${p('mr')},head`,
      `${p('example_nifti2.nii.gz')},head`,
      `${p('standard.nii.gz')},"other, small"`,
      `${p('not-there.nii')},brain`,
    ].join('\n'),
  );
}, 180_000);
afterAll(async () => c?.close());

describe('voxelbase labels and eval', () => {
  it('imports labels by source path, reporting unmatched rows by line', async () => {
    const r = JSON.parse(await vb('labels', 'import', labelsCsv)) as LabelImportResult;
    expect([r.keys, r.rows, r.matched, r.written, r.matchedBy]).toEqual([['label'], 7, 6, 6, 'source_path']);
    expect(r.unmatched).toEqual([{ line: 8, reason: expect.stringContaining('not-there.nii') }]);
    const d = JSON.parse(await vb('labels', 'from-dicom', 'Modality')) as LabelImportResult;
    expect([d.keys, d.written]).toEqual([['Modality'], 1]); // only the DICOM series has a modality
  });

  it('gives the kNN-1 of an independent computation from embeddings export, for the model and the baseline', async () => {
    const r = JSON.parse(await vb('eval', '--model', String(model), '--label', 'label')) as EvalResult;
    expect([r.figures.queries, r.figures.classes, r.missing]).toEqual([6, 3, 0]);
    expect(Object.keys(r.figures.knn)).toEqual(['1', '5', '20']);
    expect(r.baseline).not.toBeNull();
    expect(r.baseline!.bnStatistics).toBe('re-estimated');
    expect(r.baseline!.model.architecture).toBe(r.model.architecture);
    expect(r.baseline!.model.bn).toBe('re-estimated');
    const py = path.join(import.meta.dirname, 'knn_from_export.py');
    for (const [m, expected] of [
      [model, r.figures.knn[1]],
      [r.baseline!.model.id, r.baseline!.figures.knn[1]],
    ] as const) {
      const out = path.join(c.root, `export-${m}`);
      await vb('embeddings', 'export', '--model', String(m), '--out', out);
      const knn1 = Number(execFileSync('/usr/bin/python3', [py, out, labelsCsv], { encoding: 'utf8' }).trim());
      expect(knn1).toBeCloseTo(expected, 12);
    }
    // Kept for the Models screen.
    const kept = JSON.parse(await vb('eval', '--model', String(model), '--label', 'label', '--no-baseline')) as EvalResult;
    expect(kept.baseline).toBeNull();
  });

  it('refuses an unknown label by name', async () => {
    await expect(vb('eval', '--model', String(model), '--label', 'nothing')).rejects.toMatchObject({ stdout: expect.stringContaining('no series has the label \\"nothing\\"') });
  });
});
