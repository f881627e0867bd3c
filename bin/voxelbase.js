#!/usr/bin/env node
// The `voxelbase` command: runs the compiled CLI (dist/app/cli/main.js) when it is built, otherwise the
// TypeScript sources through tsx. VOXELBASE_FROM_SOURCE=1 forces the sources (development).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/app/cli/main.js`;

let mod;
if (existsSync(compiled) && process.env.VOXELBASE_FROM_SOURCE !== '1') {
  mod = await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(pathToFileURL(`${root}app/cli/main.ts`).href);
}
await mod.main(process.argv);
