// What `npm start` runs after the build: the desktop app when an Electron binary is installed
// (`require('electron')` resolves to an existing executable), otherwise the web mode, printing its URL.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { packageInfo } from './services/info/version.js';
import { runCli } from './cli/program.js';

export function electronBinary(): string | undefined {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && fs.existsSync(p) ? p : undefined;
  } catch {
    return undefined; // electron installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1)
  }
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
  process.exitCode = await runCli(['node', 'voxelbase', ...args, 'serve']);
}

await launch(process.argv.slice(2));
