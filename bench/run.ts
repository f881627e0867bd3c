// Benchmark dispatcher: `npm run bench -- NAME [args...]` runs bench/NAME.ts's default export.
// Each benchmark measures Voxelbase against a peer in the same run and prints lines of the form
// `metric: value unit (peer: value unit, ratio R)`.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME [args]\navailable: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}
const mod = (await import(pathToFileURL(`${here}/${name}.ts`).href)) as {
  default: (args: string[]) => Promise<void>;
};
await mod.default(rest);
