// `npm run bench -- import [--runs N]`: Voxelbase's import + volume assembly + NIfTI write against
// dcm2niix on the same folders, wall time of the whole process (best of N, warm page cache), plus the
// header-indexing rate.
//
// Data are built at bench time under os.tmpdir()/voxelbase-bench-import (kept between runs):
//   colin: one 181-slice MR series written from mricron-data's Colin27 (ch2.nii.gz) by
//          bench/make-dicom-series.py, header attributes from pydicom's MR_small.dcm;
//   many:  40 series x 52 slices = 2080 files of the same real slices, re-UID'd (10 patients).
// Voxelbase runs compiled (tsc into bench/.out/dist, as the packaged app runs), as
//   voxelbase --data-dir <fresh> import DIR --export-nifti OUT   (catalogue, thumbnails and NIfTI files)
// and dcm2niix as `dcm2niix -o OUT -f %s_%p DIR` (NIfTI files), each in a fresh output folder.
// Header indexing: the same `import` with --no-thumbnails and no export, files parsed per second of run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const COLIN = '/usr/share/mricron/templates/ch2.nii.gz';
const TEMPLATE = '/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm';
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function ensureData(base: string): { colin: string; many: string } {
  const colin = path.join(base, 'colin');
  const many = path.join(base, 'many');
  const script = path.join(repo, 'bench/make-dicom-series.py');
  if (!fs.existsSync(path.join(colin, '.done'))) {
    fs.rmSync(colin, { recursive: true, force: true });
    execFileSync('/usr/bin/python3', [script, 'volume', COLIN, TEMPLATE, colin]);
    fs.writeFileSync(path.join(colin, '.done'), '');
  }
  if (!fs.existsSync(path.join(many, '.done'))) {
    fs.rmSync(many, { recursive: true, force: true });
    execFileSync('/usr/bin/python3', [script, 'many', COLIN, TEMPLATE, many, '40', '52']);
    fs.writeFileSync(path.join(many, '.done'), '');
  }
  return { colin, many };
}

function buildApp(): string {
  const out = path.join(repo, 'bench/.out/dist');
  // Emits even when unrelated files have type errors; only the import path must be there.
  spawnSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out], {
    cwd: repo,
    stdio: 'ignore',
  });
  const main = path.join(out, 'app/cli/main.js');
  if (!fs.existsSync(main)) throw new Error(`build failed: ${main} missing`);
  // The compiled tree resolves package.json (version) from its parent folders like dist/ does.
  return main;
}

function timeIt(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env, maxBuffer: 64 << 20 });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString().slice(-2000)}`);
  return s;
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && !e.name.startsWith('.')) n++;
  return n;
}

export default async function bench(args: string[]): Promise<void> {
  const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
  const base = path.join(os.tmpdir(), 'voxelbase-bench-import');
  fs.mkdirSync(base, { recursive: true });
  console.error('building data and the compiled app ...');
  const data = ensureData(base);
  const main = buildApp();
  const runner = `import(${JSON.stringify(new URL(`file://${main}`).href)}).then((m) => m.main(process.argv))`;
  const scratch = fs.mkdtempSync(path.join(base, 'run-'));
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  console.log(`machine: ${os.cpus()[0]?.model ?? 'cpu'} x${cpus}, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`);

  const results: Record<string, { vb: number; peer: number }> = {};
  for (const [name, dir] of Object.entries(data)) {
    const files = countFiles(dir);
    let vb = Infinity;
    let peer = Infinity;
    for (let i = 0; i < runs; i++) {
      const d = path.join(scratch, `${name}-${i}`);
      fs.mkdirSync(path.join(d, 'd2n'), { recursive: true });
      peer = Math.min(peer, timeIt('dcm2niix', ['-o', path.join(d, 'd2n'), '-f', '%s_%p', dir]));
      vb = Math.min(
        vb,
        timeIt(process.execPath, ['-e', runner, '--', 'voxelbase', '--json', '--data-dir', path.join(d, 'vb'), 'import', dir, '--export-nifti', path.join(d, 'nii')]),
      );
      fs.rmSync(d, { recursive: true, force: true });
    }
    results[name] = { vb, peer };
    console.log(
      `import-wall[${name}, ${files} files]: ${vb.toFixed(3)} s (dcm2niix: ${peer.toFixed(3)} s, ratio ${(vb / peer).toFixed(2)})`,
    );
  }
  const total = Object.values(results).reduce((a, r) => ({ vb: a.vb + r.vb, peer: a.peer + r.peer }), { vb: 0, peer: 0 });
  console.log(`import-wall: ${total.vb.toFixed(3)} s (dcm2niix: ${total.peer.toFixed(3)} s, ratio ${(total.vb / total.peer).toFixed(2)})`);

  // Header indexing rate: import without thumbnails or export; files parsed per second of the run.
  let best = 0;
  for (let i = 0; i < runs; i++) {
    const d = path.join(scratch, `index-${i}`);
    const r = spawnSync(process.execPath, ['-e', runner, '--', 'voxelbase', '--json', '--data-dir', d, 'import', data.many, '--no-thumbnails'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    });
    const out = JSON.parse(r.stdout.toString()) as { run: { filesParsed: number; startedAt: string; endedAt: string } };
    const secs = (Date.parse(out.run.endedAt) - Date.parse(out.run.startedAt)) / 1000;
    best = Math.max(best, out.run.filesParsed / secs);
    fs.rmSync(d, { recursive: true, force: true });
  }
  console.log(`header-index: ${best.toFixed(0)} files/s (${cpus} cores, worker pool of ${cpus})`);
  fs.rmSync(scratch, { recursive: true, force: true });
}
