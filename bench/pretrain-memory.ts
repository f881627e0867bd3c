// `npm run bench -- pretrain-memory [--steps 3] [--configs resnet10:32:16,resnet18:48:8,...] [--fit]`
// The pretrain memory estimate (app/services/pretrain/memory-estimate.ts) against the measured peak RSS of the
// training process: each configuration (arch:input edge:batch[:norm]) trains a few steps on Colin27 at 2 mm through
// pretrain:start in a service process of its own (bench/_pretrain-service-child.ts, loader threads included), and
// the process's peak RSS (getrusage maxrss) is printed beside the estimate. With --fit, the least-squares BASE, A and
// B of the estimate's model over these measurements are printed too (what MEMORY_MODEL was set from).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createServices } from '../app/services/index.js';
import { createDirectApi } from '../app/transports/direct.js';
import { estimateMemory, MEMORY_MODEL, networkSize } from '../app/services/pretrain/index.js';
import type { PretrainOptions } from '../app/contract/types/runs.js';
import { machineLine } from './lib/machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const DEFAULT_CONFIGS = 'resnet10:32:16,resnet10:64:8,resnet18:48:8,resnet18:64:4:group,resnet34:32:8,resnet50:32:4';

/** Solves the 3x3 normal equations of least squares y ~ c0 + c1 a + c2 b. */
function fit(rows: { a: number; b: number; y: number }[]): [number, number, number] {
  const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const v = [0, 0, 0];
  for (const r of rows) {
    const x = [1, r.a, r.b];
    for (let i = 0; i < 3; i++) {
      v[i] += x[i] * r.y;
      for (let j = 0; j < 3; j++) m[i][j] += x[i] * x[j];
    }
  }
  // Gaussian elimination
  for (let i = 0; i < 3; i++) {
    const p = m[i][i];
    for (let j = i + 1; j < 3; j++) {
      const f = m[j][i] / p;
      for (let k = i; k < 3; k++) m[j][k] -= f * m[i][k];
      v[j] -= f * v[i];
    }
  }
  const c = [0, 0, 0];
  for (let i = 2; i >= 0; i--) {
    let s = v[i];
    for (let k = i + 1; k < 3; k++) s -= m[i][k] * c[k];
    c[i] = s / m[i][i];
  }
  return c as [number, number, number];
}

export default async function main(argv: string[]): Promise<void> {
  const a: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i].replace(/^--/, '');
    if (k === 'fit') a.fit = '1';
    else a[k] = argv[++i];
  }
  const steps = Number(a.steps ?? 3);
  const configs = (a.configs ?? DEFAULT_CONFIGS).split(',').map((s) => {
    const [arch, edge, batch, norm] = s.split(':');
    return { arch: arch as PretrainOptions['arch'], input: Number(edge), batch: Number(batch), norm: (norm ?? 'batch') as 'batch' | 'group' };
  });
  console.log(machineLine());
  const dir = path.join(here, '.out', `pretrain-memory-${process.pid}`);
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.copyFileSync('/usr/share/mricron/templates/ch2.nii.gz', path.join(dir, 'src', 'ch2.nii.gz'));
  const services = createServices({ dataDir, startBackgroundWork: false });
  try {
    const api = createDirectApi(services);
    await services.jobs.wait((await api.call('import:start', { paths: [path.join(dir, 'src')], thumbnails: false })).job);
    await api.call('cohort:create', { name: 'memory', filter: {} });
  } finally {
    await services.close();
  }
  const rows: { label: string; a: number; b: number; y: number; est: number }[] = [];
  try {
    for (const c of configs) {
      const options: PretrainOptions = { ...c, steps, threads: 2, checkpointEvery: steps, spacing: 2 };
      const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(here, '_pretrain-service-child.ts'), dataDir, 'memory', JSON.stringify(options)], { maxBuffer: 1 << 24 });
      const r = JSON.parse(stdout.trim().split('\n').pop()!) as { state: string; error?: string; peakRssMb: number; run: number };
      if (r.state !== 'done') throw new Error(`${JSON.stringify(c)}: ${r.state} ${r.error ?? ''}`);
      // the estimate of the configuration the run recorded
      const s = createServices({ dataDir, startBackgroundWork: false });
      const config = (await createDirectApi(s).call('runs:get', { run: r.run })).config;
      await s.close();
      const e = estimateMemory(config, Infinity);
      const n = networkSize(config.resnet, config.heads, config.input);
      const slots = config.optimizer.type === 'adamw' ? 2 : 1;
      const online = n.encoderParams + n.projectorParams + n.predictorParams;
      const stateMb = (4 * (online * (2 + slots) + n.encoderParams + n.projectorParams)) / 2 ** 20;
      const actMb = (4 * 2 * config.batch * n.activationElements) / 2 ** 20;
      const label = `${c.arch} ${c.input}^3 batch ${c.batch} ${c.norm}`;
      rows.push({ label, a: stateMb, b: actMb, y: r.peakRssMb, est: e.peakMb });
      console.log(`peak RSS ${label}: ${r.peakRssMb.toFixed(0)} MB (estimate: ${e.peakMb} MB, ratio ${(e.peakMb / r.peakRssMb).toFixed(2)})`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const worst = Math.max(...rows.map((r) => Math.abs(r.est / r.y - 1)));
  console.log(`estimate error: worst ${(worst * 100).toFixed(0)} % over ${rows.length} configurations (model: base ${MEMORY_MODEL.baseMb} MB, state x${MEMORY_MODEL.stateFactor}, activations x${MEMORY_MODEL.activationFactor})`);
  if (a.fit) {
    const [c0, c1, c2] = fit(rows);
    console.log(`least-squares fit: base ${c0.toFixed(0)} MB, state x${c1.toFixed(2)}, activations x${c2.toFixed(2)}`);
    for (const r of rows) console.log(`  ${r.label}: fitted ${(c0 + c1 * r.a + c2 * r.b).toFixed(0)} MB, measured ${r.y.toFixed(0)} MB`);
  }
  console.log(machineLine());
}
