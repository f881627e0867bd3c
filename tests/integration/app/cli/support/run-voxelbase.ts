// `voxelbase --data-dir DIR ...` as a child process on bin/voxelbase.js from the TypeScript sources, for the CLI
// tests that check the real binary (exit status, stdout, stderr); rejects with {code, stdout, stderr} on a
// non-zero exit, as child_process.execFile does.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = path.resolve('bin/voxelbase.js');

export function runVoxelbase(dataDir: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
    timeout: 120_000,
    maxBuffer: 32 << 20,
  });
}
