// The `voxelbase` command as a user runs it: a child process on bin/voxelbase.js.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InfoResult } from '../../../../app/contract/types.js';

const run = promisify(execFile);
const bin = path.resolve('bin/voxelbase.js');

async function info(env: Record<string, string>, dataDir: string): Promise<InfoResult> {
  const { stdout } = await run(process.execPath, [bin, 'info', '--json', '--data-dir', dataDir], {
    env: { ...process.env, ...env },
    timeout: 90_000,
  });
  return JSON.parse(stdout) as InfoResult;
}

describe('voxelbase info', () => {
  // Both are required: `npm test` builds dist/ before vitest runs, so a missing build fails here, not skips.
  const variants: [string, Record<string, string>][] = [
    ['sources (tsx)', { VOXELBASE_FROM_SOURCE: '1' }],
    ['compiled dist', { VOXELBASE_FROM_SOURCE: '0' }],
  ];

  it.each(variants)('--json from %s: cpu works, counts are numbers, data folder created', async (label, env) => {
    if (label === 'compiled dist') expect(fs.existsSync('dist/app/cli/main.js'), 'dist/app/cli/main.js missing: run `npm run build` first').toBe(true);
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vb-cli-')), 'data');
    const r = await info(env, dataDir);
    expect(r.dataDir).toBe(dataDir);
    expect(fs.existsSync(path.join(dataDir, 'catalogue.sqlite'))).toBe(true);
    expect(r.providers.find((p) => p.name === 'cpu')?.works).toBe(true);
    for (const k of ['patients', 'studies', 'series', 'files'] as const) expect(Number.isInteger(r.catalogue[k])).toBe(true);
    expect(r.version).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
  });

  it('prints a readable report without --json and honours VOXELBASE_HOME', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-home-'));
    const { stdout } = await run(process.execPath, [bin, 'info'], {
      env: { ...process.env, VOXELBASE_FROM_SOURCE: '1', VOXELBASE_HOME: home },
      timeout: 90_000,
    });
    expect(stdout).toContain(`data folder   ${home}`);
    expect(stdout).toMatch(/yes\s+cpu/);
  });

  it('exits non-zero with a usage error for an unknown command', async () => {
    await expect(run(process.execPath, [bin, 'no-such-command'], { env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' } })).rejects.toMatchObject({
      code: 2,
    });
  });
});
