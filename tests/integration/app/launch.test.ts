// `npm start`'s launcher (app/launch.ts) run from the sources as a user's machine would run it:
// - with no Electron binary (ELECTRON_OVERRIDE_DIST_PATH names an empty folder, so the detection of
//   launch.ts really finds nothing, whether or not this machine has the binary) it starts the web mode
//   on a temporary VOXELBASE_HOME, prints a loopback URL with a token, serves the page with the token
//   and refuses it without, and exits 0 on SIGTERM;
// - with an "Electron binary" present (a stand-in script at the same override) it runs that binary on the
//   app's folder with the given arguments and passes its exit code on, instead of serving.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const root = process.cwd();
const launchTs = path.join(root, 'app', 'launch.ts');

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.VOXELBASE_WEB; // would force the web mode without the detection under test
  return env;
}

describe('npm start launcher', () => {
  it('falls back to the web mode when no Electron binary exists, prints its URL, and stops on SIGTERM', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-launch-home-'));
    const noElectron = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-launch-noelectron-'));
    const child = spawn(process.execPath, ['--import', 'tsx', launchTs, '--no-open'], {
      cwd: root,
      env: cleanEnv({ VOXELBASE_HOME: home, ELECTRON_OVERRIDE_DIST_PATH: noElectron }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines: string[] = [];
    try {
      // The launcher's whole banner, up to the serve command's last line.
      await new Promise<void>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).on('line', (line) => {
          lines.push(line);
          if (line === 'Press Ctrl-C to stop.') resolve();
        });
        child.once('exit', (code) => reject(new Error(`launch exited early with ${code}: ${lines.join('\n')}\n${stderr}`)));
      });
      expect(lines[0]).toBe('No Electron binary installed here: starting the web mode instead.');
      const url = lines.find((l) => l.startsWith('Voxelbase web mode: '))?.slice('Voxelbase web mode: '.length) ?? '';
      const m = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{20,})$/.exec(url);
      expect(m, lines.join('\n')).not.toBeNull();
      const [, port, token] = m!;
      // The services opened the temporary VOXELBASE_HOME, not the user's data folder.
      expect(lines).toContain(`data folder: ${home}`);

      const page = `http://127.0.0.1:${port}/`;
      const withToken = await fetch(page, { headers: { Authorization: `Bearer ${token}` } });
      expect(withToken.status).toBe(200);
      expect(withToken.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await withToken.text()).toMatch(/<html/i);
      const viaUrl = await fetch(url, { redirect: 'manual' });
      expect(viaUrl.status).toBe(302);
      expect(viaUrl.headers.get('set-cookie')).toContain(token);
      const without = await fetch(page);
      expect(without.status).toBe(401);
      const wrong = await fetch(page, { headers: { Authorization: `Bearer ${'x'.repeat(token.length)}` } });
      expect(wrong.status).toBe(401);
    } finally {
      const exited =
        child.exitCode !== null
          ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
          : new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
              child.once('exit', (code, signal) => resolve({ code, signal })),
            );
      child.kill('SIGTERM');
      expect(await exited, stderr).toStrictEqual({ code: 0, signal: null });
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(noElectron, { recursive: true, force: true });
    }
  });

  it('runs the Electron binary on the app folder with the arguments when one exists', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-launch-electron-'));
    const record = path.join(dist, 'args.json');
    // Stand-in for the Electron executable: records its arguments and exits 7.
    const bin = path.join(dist, 'electron');
    fs.writeFileSync(
      bin,
      `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(7);\n`,
      { mode: 0o755 },
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', launchTs, '--some-flag'], {
      cwd: root,
      env: cleanEnv({ VOXELBASE_HOME: dist, ELECTRON_OVERRIDE_DIST_PATH: dist }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout).not.toContain('web mode');
    expect(JSON.parse(fs.readFileSync(record, 'utf8'))).toStrictEqual([root, '--some-flag']);
    expect(r.status, r.stderr).toBe(7);
    fs.rmSync(dist, { recursive: true, force: true });
  });
});
