// Spawning worker threads from an entry file that sits next to the caller, the same way whether the app
// runs compiled (dist/**/*.js) or from TypeScript sources (vitest, tsx). For a .ts entry the worker gets
// `--import tsx` so Node can load it; for .js it runs as is.
//
// Usage (from app/services/import/scan.ts, entry app/workers/parse-header.ts):
//   const w = spawnWorker(import.meta.url, '../../workers/parse-header.js', { workerData: {...} });
// Write the entry path with a `.js` extension like any relative import; the helper picks `.ts` when the
// caller itself is a .ts file (i.e. we are running sources) and the .js does not exist.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
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
  const execArgv = [...(options.execArgv ?? [])];
  if (/\.(c|m)?ts$/.test(entry) && !hasTsxLoader(execArgv)) execArgv.push('--import', 'tsx');
  return new Worker(entry, { ...options, execArgv });
}

function hasTsxLoader(args: readonly string[]): boolean {
  return args.some((a, i) => (a === '--import' || a === '--loader') && /tsx/.test(args[i + 1] ?? ''));
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
