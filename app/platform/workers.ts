// Spawning worker threads from an entry file that sits next to the caller, the same way whether the app
// runs compiled (dist/**/*.js) or from TypeScript sources (vitest, tsx). A .js entry runs as is. A .ts
// entry is started through a tiny bootstrap that registers tsx's ESM loader inside the worker and then
// imports the entry: on Node 20 `execArgv: ['--import', 'tsx']` does not make the worker's own entry
// loadable (ERR_UNKNOWN_FILE_EXTENSION), tsx's `register()` API does.
//
// Usage (as app/services/import/worker-pool.ts does, entry app/workers/import-worker.ts):
//   const w = spawnWorker(import.meta.url, '../../workers/import-worker.js', { workerData: {...} });
// Write the entry path with a `.js` extension like any relative import; the helper picks `.ts` when the
// caller itself is a .ts file (i.e. we are running sources) and the .js does not exist.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

/** Absolute path of the worker entry, `.js` compiled or `.ts` source. */
export function resolveWorkerEntry(callerUrl: string, relativeJs: string): string {
  const callerFile = fileURLToPath(callerUrl);
  const js = path.resolve(path.dirname(callerFile), relativeJs);
  if (callerFile.endsWith('.ts')) {
    const ts = js.replace(/\.(c|m)?js$/, (_m, p: string | undefined) => `.${p ?? ''}ts`);
    if (fs.existsSync(ts)) return ts;
  }
  if (fs.existsSync(js)) return js;
  throw new Error(`worker entry not found: ${js} (from ${callerFile})`);
}

/** Node's Worker for `relativeJs` next to `callerUrl` (pass `import.meta.url`). */
export function spawnWorker(callerUrl: string, relativeJs: string, options: WorkerOptions = {}): Worker {
  const entry = resolveWorkerEntry(callerUrl, relativeJs);
  if (!/\.(c|m)?ts$/.test(entry)) return new Worker(entry, options);
  const bootstrap =
    `import(${JSON.stringify(tsxEsmApiUrl())}).then((tsx) => { tsx.register(); ` +
    `return import(${JSON.stringify(pathToFileURL(entry).href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** file: URL of tsx's ESM `register` API (its package exports' "./esm/api" import entry). */
const tsxEsmApiUrl = (): string => tsxExportUrl('./esm/api');

const tsxUrls = new Map<string, string>();

/** file: URL of one of tsx's package exports ('.' is its loader for `node --import`), the import entry. */
export function tsxExportUrl(key: string): string {
  const known = tsxUrls.get(key);
  if (known) return known;
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } | string } | string>;
  };
  const exp = pkg.exports[key];
  const imp = typeof exp === 'string' ? exp : exp?.import;
  const rel = typeof imp === 'string' ? imp : imp?.default;
  if (!rel) throw new Error(`tsx at ${pkgFile} has no ${key} export; cannot run TypeScript workers`);
  const url = pathToFileURL(path.join(path.dirname(pkgFile), rel)).href;
  tsxUrls.set(key, url);
  return url;
}

/**
 * Runs one worker to completion: resolves with its first message, rejects on error or a non-zero exit
 * without a message. For long-lived workers with many messages use spawnWorker directly.
 */
export function runWorkerOnce<T>(callerUrl: string, relativeJs: string, options: WorkerOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const w = spawnWorker(callerUrl, relativeJs, options);
    let settled = false;
    w.once('message', (m: T) => {
      settled = true;
      resolve(m);
      void w.terminate();
    });
    w.once('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`worker ${relativeJs} exited with code ${code} before replying`));
      settled = true;
    });
  });
}
