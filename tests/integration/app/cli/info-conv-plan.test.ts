// `voxelbase info` shows the conv plans that training tuned on this machine: a real plan, tuned for a tiny encoder into
// the data folder's tuning cache (where the trainer writes, pretrain tuningDir), comes back whole through the service
// (--json) and as one line per conv signature in the text report; a plan of another machine in the same file is not
// shown, and a data folder without plans says none was tuned yet.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { InfoResult } from '../../../../app/contract/types.js';
import { tuningDir } from '../../../../app/services/pretrain/index.js';
import { buildEncoder, machineKey, randomEncoderParams, resnetPreset, tuneConvPlan } from '../../../../native-models/index.js';

const run = promisify(execFile);
const bin = path.resolve('bin/voxelbase.js');
const env = { ...process.env, VOXELBASE_FROM_SOURCE: '1' };
const roots: string[] = [];
afterAll(() => roots.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const dataDir = (): string => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-info-plan-'));
  roots.push(root);
  return path.join(root, 'data');
};

describe('voxelbase info: conv plans', () => {
  it('shows the plan tuned on this machine, and no other machine\'s', async () => {
    const dir = dataDir();
    const cfg = resnetPreset(10, { widths: [8, 8, 16, 16] });
    const params = randomEncoderParams(cfg, 1);
    const tuned = await tuneConvPlan((convPlanner) => buildEncoder(cfg, params, { spatial: [16, 16, 16], convPlanner }), { cacheDir: tuningDir(dir), threads: 2 });
    expect(tuned.report.source).toBe('tuned');
    // another machine's plan in the same cache file
    const file = path.join(tuningDir(dir), 'conv-plans.json');
    const cache = JSON.parse(fs.readFileSync(file, 'utf8')) as { plans: Record<string, { machine: string }> };
    const mine = cache.plans[machineKey(2)];
    cache.plans['Other CPU | avx512f | 2 threads | onnxruntime 1.30.0'] = { ...mine, machine: 'Other CPU | avx512f | 2 threads | onnxruntime 1.30.0', cpuModel: 'Other CPU' } as typeof mine;
    fs.writeFileSync(file, JSON.stringify(cache));

    const { stdout } = await run(process.execPath, [bin, 'info', '--json', '--data-dir', dir], { env, timeout: 90_000 });
    const r = JSON.parse(stdout) as InfoResult;
    expect(r.tuningDir).toBe(tuningDir(dir));
    expect(r.convPlans).toHaveLength(1);
    const p = r.convPlans[0];
    expect(p.machine).toBe(machineKey(2));
    expect(p.threads).toBe(2);
    expect(p.tuningMs).toBeGreaterThan(0);
    const timed = tuned.report.choices.filter((c) => c.times);
    expect(timed.length).toBeGreaterThan(0);
    expect(p.choices.map((c) => [c.signature, c.form]).sort()).toEqual(timed.map((c) => [c.signature, c.form]).sort());
    for (const c of p.choices) expect(c.times[c.form], c.signature).toBeTypeOf('number');

    const text = (await run(process.execPath, [bin, 'info', '--data-dir', dir], { env, timeout: 90_000 })).stdout;
    expect(text).toContain(`conv plan     2 threads, ${p.choices.length} signatures tuned in`);
    expect(text).toContain(`key         ${machineKey(2)}`);
    for (const c of p.choices) expect(text).toContain(`${c.form.padEnd(14)} ${c.signature}  [`);
    expect(text).not.toContain('Other CPU');
  }, 120_000);

  it('says none was tuned yet in a fresh data folder', async () => {
    const dir = dataDir();
    const { stdout } = await run(process.execPath, [bin, 'info', '--data-dir', dir], { env, timeout: 90_000 });
    expect(stdout).toContain(`conv plan     none tuned yet (the first training run on the CPU tunes one into ${tuningDir(dir)})`);
  }, 120_000);
});
