// `npm run bench -- import [--runs N]`: Voxelbase's import + volume assembly + NIfTI write against
// dcm2niix on the same folders, wall time of the whole process (best of N, warm page cache), plus the
// header-indexing rate.
//
// Data are built at bench time under os.tmpdir()/voxelbase-bench-import (kept between runs):
//   colin: one 181-slice MR series written from mricron-data's Colin27 (ch2.nii.gz) by
//          bench/make-dicom-series.py, header attributes from pydicom's MR_small.dcm;
//   many:  40 series x 52 slices = 2080 files of the same real slices, re-UID'd (10 patients).
// Voxelbase runs compiled (tsc into bench/.out/dist, as the packaged app runs) and does what the user
// asks of it: catalogue (headers, patients/studies/series), thumbnails, and every series as NIfTI, in a
// fresh data folder. Two figures:
//   import-wall      the import as the running app does it (services open, worker pool started): the
//                    time from import start to its end, NIfTI files written;
//   import-wall-cli  `voxelbase import DIR --export-nifti OUT` as a cold process (Node start-up and module
//                    loading included);
// against `dcm2niix -o OUT -f %s_%p DIR` (process wall time), each in a fresh output folder, best of N.
//   import-cpu       CPU seconds (user + system, all threads) of the warm import, against dcm2niix's (GNU
//                    time): less sensitive than wall time to other load on a shared machine;
// Header indexing: the warm import without thumbnails or NIfTI, files parsed per second of the run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineLine } from './lib/machine.js';

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

/** dcm2niix's CPU time (user + system) through GNU time, when installed; NaN otherwise. */
function cpuOf(cmd: string, args: string[]): number {
  if (!fs.existsSync('/usr/bin/time')) return NaN;
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr.toString());
  return m ? Number(m[1]) + Number(m[2]) : NaN;
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

/** Runs one import in a fresh process with the services already open and the worker pool warm (the
 * desktop app or `voxelbase serve` is running when a user imports); prints {seconds, filesImported}. */
function inAppRunner(distDir: string): string {
  const u = (p: string) => JSON.stringify(new URL(`file://${path.join(distDir, p)}`).href);
  return `
const { createServices } = await import(${u('app/services/index.js')});
const { startImport, importPool, validateImportPaths } = await import(${u('app/services/import/index.js')});
const [src, dataDir, out, thumbs] = process.argv.slice(2);
const s = createServices({ dataDir });
const pool = importPool(s.context);
await Promise.all(Array.from({ length: pool.size * 2 }, () => pool.run({ type: 'parse', files: [] })));
const t0 = performance.now();
const c0 = process.cpuUsage();
const { job } = startImport(s.context, validateImportPaths([src], dataDir), thumbs === '1', out ? { dir: out, gzip: false } : undefined);
const snap = await s.jobs.wait(job);
const seconds = (performance.now() - t0) / 1000;
const c1 = process.cpuUsage(c0);
const cpuSeconds = (c1.user + c1.system) / 1e6;
if (snap.state !== 'done') throw new Error('import ' + snap.state + ': ' + (snap.error && snap.error.message));
process.stdout.write(JSON.stringify({ seconds, cpuSeconds, filesImported: snap.result.filesImported }));
await s.close();
`;
}

interface InAppResult {
  seconds: number;
  /** CPU time of all threads of the process during the import (getrusage RUSAGE_SELF). */
  cpuSeconds: number;
  filesImported: number;
}

function inApp(script: string, src: string, dataDir: string, out: string, thumbs: boolean): InAppResult {
  const r = spawnSync(process.execPath, [script, src, dataDir, out, thumbs ? '1' : '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`in-app import failed: ${r.stderr.toString().slice(-2000)}`);
  return JSON.parse(r.stdout.toString()) as InAppResult;
}

export default async function bench(args: string[]): Promise<void> {
  const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
  const base = path.join(os.tmpdir(), 'voxelbase-bench-import');
  fs.mkdirSync(base, { recursive: true });
  console.error('building data and the compiled app ...');
  const data = ensureData(base);
  const main = buildApp();
  const distDir = path.dirname(path.dirname(path.dirname(main)));
  const cli = `import(${JSON.stringify(new URL(`file://${main}`).href)}).then((m) => m.main(process.argv))`;
  // A file, not -e: worker threads inherit execArgv, and --input-type would break their entry files.
  const app = path.join(distDir, '..', 'in-app-import.mjs');
  fs.writeFileSync(app, inAppRunner(distDir));
  const scratch = fs.mkdtempSync(path.join(base, 'run-'));
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  console.log(machineLine()); // CPU model and AVX2 / AVX-512 / AMX flags beside every figure (bench/lib/machine.ts)

  const total = { app: 0, cli: 0, peer: 0, appCpu: 0, peerCpu: 0 };
  for (const [name, dir] of Object.entries(data)) {
    const files = countFiles(dir);
    let appBest = Infinity;
    let cliBest = Infinity;
    let peer = Infinity;
    let appCpu = Infinity;
    let peerCpu = Infinity;
    for (let i = 0; i < runs; i++) {
      const d = path.join(scratch, `${name}-${i}`);
      fs.mkdirSync(path.join(d, 'd2n'), { recursive: true });
      peer = Math.min(peer, timeIt('dcm2niix', ['-o', path.join(d, 'd2n'), '-f', '%s_%p', dir]));
      const a = inApp(app, dir, path.join(d, 'app'), path.join(d, 'app-nii'), true);
      appBest = Math.min(appBest, a.seconds);
      appCpu = Math.min(appCpu, a.cpuSeconds);
      fs.rmSync(path.join(d, 'd2n'), { recursive: true, force: true });
      fs.mkdirSync(path.join(d, 'd2n'));
      peerCpu = Math.min(peerCpu, cpuOf('dcm2niix', ['-o', path.join(d, 'd2n'), '-f', '%s_%p', dir]));
      cliBest = Math.min(
        cliBest,
        timeIt(process.execPath, ['-e', cli, '--', 'voxelbase', '--json', '--data-dir', path.join(d, 'cli'), 'import', dir, '--export-nifti', path.join(d, 'cli-nii')]),
      );
      fs.rmSync(d, { recursive: true, force: true });
    }
    total.app += appBest;
    total.cli += cliBest;
    total.peer += peer;
    total.appCpu += appCpu;
    total.peerCpu += peerCpu;
    console.log(`import-wall[${name}, ${files} files]: ${appBest.toFixed(3)} s (dcm2niix: ${peer.toFixed(3)} s, ratio ${(appBest / peer).toFixed(2)})`);
    console.log(`import-cpu[${name}, ${files} files]: ${appCpu.toFixed(3)} s (dcm2niix: ${peerCpu.toFixed(3)} s, ratio ${(appCpu / peerCpu).toFixed(2)})`);
    console.log(`import-wall-cli[${name}, ${files} files]: ${cliBest.toFixed(3)} s (dcm2niix: ${peer.toFixed(3)} s, ratio ${(cliBest / peer).toFixed(2)})`);
  }
  console.log(`import-wall: ${total.app.toFixed(3)} s (dcm2niix: ${total.peer.toFixed(3)} s, ratio ${(total.app / total.peer).toFixed(2)})`);
  console.log(`import-cpu: ${total.appCpu.toFixed(3)} s (dcm2niix: ${total.peerCpu.toFixed(3)} s, ratio ${(total.appCpu / total.peerCpu).toFixed(2)})`);
  console.log(`import-wall-cli: ${total.cli.toFixed(3)} s (dcm2niix: ${total.peer.toFixed(3)} s, ratio ${(total.cli / total.peer).toFixed(2)})`);

  // Header indexing: scan + parse + catalogue writes + assembly, no thumbnails or NIfTI, warm app.
  let best = 0;
  const manyFiles = countFiles(data.many);
  for (let i = 0; i < runs; i++) {
    const r = inApp(app, data.many, path.join(scratch, `index-${i}`), '', false);
    best = Math.max(best, r.filesImported / r.seconds);
    fs.rmSync(path.join(scratch, `index-${i}`), { recursive: true, force: true });
  }
  console.log(`header-index: ${best.toFixed(0)} files/s (${manyFiles} files, ${cpus} cores, worker pool of ${cpus})`);
  fs.rmSync(scratch, { recursive: true, force: true });
}
