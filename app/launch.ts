// What `npm start` runs after the build: the desktop app when an Electron binary is installed
// (`require('electron')` resolves to an existing executable), otherwise the web mode, printing its URL.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { packageInfo } from './services/info/index.js';
import { runCli } from './cli/program.js';

/**
 * The Electron executable if one is installed, found the way electron/index.js finds it (path.txt,
 * ELECTRON_OVERRIDE_DIST_PATH) but without requiring that module: since Electron 36 requiring it starts a
 * download when the binary is missing.
 */
export function electronBinary(): string | undefined {
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(dir, 'path.txt');
  const rel = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? path.join(override, rel || 'electron') : rel ? path.join(dir, 'dist', rel) : '';
  return full && fs.existsSync(full) ? full : undefined;
}

async function launch(args: string[]): Promise<void> {
  const electron = process.env.VOXELBASE_WEB === '1' ? undefined : electronBinary();
  if (electron) {
    const child = spawn(electron, [packageInfo().root, ...args], { stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal ? 1 : 0);
    });
    return;
  }
  process.stdout.write('No Electron binary installed here: starting the web mode instead.\n');
  process.stdout.write('Open the URL below in any Chromium-based browser (Chrome, Chromium, Edge).\n');
  process.exitCode = await runCli(['node', 'voxelbase', 'serve', ...args]);
}

await launch(process.argv.slice(2));
