// Helpers for the end-to-end tests that watch and cancel a long import.
// linkFolder: a folder of many hard links to one real file, for imports that must run long: each link is a file
// (a series) of its own for the importer, and costs no disk. The links point to a copy made inside the
// folder, so a hard link never crosses a filesystem (a symbolic link would not do: the scan lists a file
// reached through links once, under its real path) and never adds to the link count of a system file.
// The folder is new for every call (mkdtemp), so concurrent runs never share or delete each other's files.
import { copyFileSync, linkSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function linkFolder(source: string, copies: number, prefix: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), `voxelbase-e2e-${prefix}-`));
  const ext = source.endsWith('.nii.gz') ? '.nii.gz' : path.extname(source);
  const name = (i: number) => path.join(folder, `${prefix}-${String(i).padStart(5, '0')}${ext}`);
  copyFileSync(source, name(0));
  for (let i = 1; i < copies; i++) linkSync(name(0), name(i));
  return folder;
}

/**
 * Whether an import job (a jobs:get / jobs:list snapshot) is far from its end: still scanning, reading or
 * assembling, or at most half way through the thumbnails, its last step. Checked right before a test
 * clicks Cancel, so that the click certainly lands while the job runs.
 */
export function farFromTheEnd(job: { step: string; current: number; total: number }): boolean {
  if (job.step === 'scan' || job.step === 'parse' || job.step === 'assemble') return true;
  return job.step === 'thumbnails' && job.current < job.total / 2;
}
