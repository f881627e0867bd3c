// electron-builder.yml, checked offline: an unpacked Linux build (`--dir`) against a stand-in Electron
// folder (the real binary cannot be downloaded here), without rebuilding native modules. Asserts what
// ends up in the package: the compiled app, native modules unpacked from the asar archive, and only
// this platform's and architecture's onnxruntime / usearch binaries. Needs `npm run build` first.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const run = promisify(execFile);

/** File paths inside an asar archive (header: pickled JSON after a 16-byte prefix). */
function asarFiles(file: string): string[] {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(16);
  fs.readSync(fd, head, 0, 16, 0);
  const len = head.readUInt32LE(12);
  const json = Buffer.alloc(len);
  fs.readSync(fd, json, 0, len, 16);
  fs.closeSync(fd);
  type Node = { files?: Record<string, Node> };
  const out: string[] = [];
  const walk = (n: Node, prefix: string) => {
    for (const [name, child] of Object.entries(n.files ?? {})) {
      const p = `${prefix}/${name}`;
      if (child.files) walk(child, p);
      else out.push(p);
    }
  };
  walk(JSON.parse(json.toString('utf8')) as Node, '');
  return out;
}

function walkFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'));
}

describe('electron-builder configuration', () => {
  it('packs an unpacked Linux app with only this platform’s native binaries outside the asar', async () => {
    for (const f of ['dist/app/electron/main.js', 'dist/app/electron/preload.cjs', 'dist/renderer/index.html']) {
      expect(fs.existsSync(f), `${f} missing: run \`npm run build\` before this test`).toBe(true);
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-pack-'));
    const electronDist = path.join(tmp, 'electron-dist');
    fs.mkdirSync(electronDist);
    fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho stand-in electron\n', { mode: 0o755 });
    const out = path.join(tmp, 'release');
    await run(
      process.execPath,
      [
        'node_modules/electron-builder/cli.js',
        '--dir',
        '--linux',
        '--x64',
        `-c.electronDist=${electronDist}`,
        '-c.npmRebuild=false',
        `-c.directories.output=${out}`,
      ],
      { timeout: 300_000, maxBuffer: 32 << 20 },
    );
    const resources = path.join(out, 'linux-unpacked', 'resources');
    expect(fs.statSync(path.join(out, 'linux-unpacked', 'voxelbase')).mode & 0o111).toBeTruthy();

    const inAsar = asarFiles(path.join(resources, 'app.asar'));
    for (const f of ['/package.json', '/dist/app/electron/main.js', '/dist/app/electron/preload.cjs', '/dist/app/cli/main.js', '/dist/renderer/index.html']) {
      expect(inAsar).toContain(f);
    }
    expect(inAsar.some((f) => f.startsWith('/tests/') || f.startsWith('/app/'))).toBe(false); // no sources, no tests
    expect(inAsar.some((f) => f.startsWith('/node_modules/electron/') || f.startsWith('/node_modules/vite/'))).toBe(false);
    expect(inAsar.some((f) => f.endsWith('.map'))).toBe(false);

    const unpacked = walkFiles(path.join(resources, 'app.asar.unpacked'));
    const natives = unpacked.filter((f) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(f)).sort();
    expect(natives).toEqual([
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
      'node_modules/usearch/prebuilds/linux-x64/usearch.node',
    ]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
