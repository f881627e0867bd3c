// The app's version, read from package.json (found by walking up from this file, so it works from
// app/ sources and from dist/app alike).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { name: string; version: string; root: string } | undefined;

export function packageInfo(): { name: string; version: string; root: string } {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'voxelbase') return (cached = { name: pkg.name, version: pkg.version ?? '0.0.0', root: dir });
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json of voxelbase not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}
