// Where Voxelbase keeps its catalogue, caches and models: the usual per-user application-data folder of
// each OS, overridable by `--data-dir` (highest precedence) and then the VOXELBASE_HOME environment variable.
// Linux follows the XDG Base Directory spec ($XDG_DATA_HOME, default ~/.local/share);
// macOS ~/Library/Application Support; Windows %APPDATA% (Roaming).
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

export const APP_DIR_NAME = { linux: 'voxelbase', darwin: 'Voxelbase', win32: 'Voxelbase' } as const;

export interface DataDirInput {
  /** Value of `--data-dir`, if given. */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/** The default per-OS folder, ignoring overrides. Pure: everything it reads can be passed in. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', APP_DIR_NAME.darwin);
  }
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DIR_NAME.win32);
  }
  // XDG: a relative $XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(base, APP_DIR_NAME.linux);
}

/** `--data-dir` > `VOXELBASE_HOME` > per-OS default. Relative overrides resolve against the cwd. */
export function resolveDataDir(input: DataDirInput = {}): string {
  const env = input.env ?? process.env;
  if (input.flag) return path.resolve(input.flag);
  if (env.VOXELBASE_HOME) return path.resolve(env.VOXELBASE_HOME);
  return defaultDataDir(input.platform ?? process.platform, env, input.home ?? os.homedir());
}

/** Creates the folder (owner-only where the OS honours modes) and returns it. */
export function ensureDataDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** `--data-dir X` or `--data-dir=X` from an argv list (for launchers that do not use commander). */
export function dataDirFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data-dir') return argv[i + 1];
    if (a.startsWith('--data-dir=')) return a.slice('--data-dir='.length);
  }
  return undefined;
}
