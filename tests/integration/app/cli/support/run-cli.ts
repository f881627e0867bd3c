// Runs `voxelbase` as a user does (a child process on bin/voxelbase.js, from the sources) on a data folder, for
// the CLI tests: resolves with stdout and stderr, rejects (with `code`, `stdout`, `stderr`) on a non-zero exit.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = path.resolve('bin/voxelbase.js');

export function runCli(dataDir: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
    timeout: 120_000,
    maxBuffer: 32 << 20,
  });
}
