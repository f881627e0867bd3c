// What every CLI command shares: the global options (--json, --data-dir), opening the services of the
// data folder for the length of one command, and printing a result as JSON or as text.
import type { Command } from 'commander';
import type { Api } from '../contract/api.js';
import { createServices, type Services } from '../services/index.js';
import { createDirectApi } from '../transports/direct.js';
import { resolveDataDir } from '../platform/data-dir.js';

export interface GlobalOptions {
  json: boolean;
  dataDir: string;
}

export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ json?: boolean; dataDir?: string }>();
  return { json: Boolean(o.json), dataDir: resolveDataDir({ flag: o.dataDir }) };
}

/** Opens the services, runs `fn` with a direct API, and closes them (also on error). */
export async function withServices<T>(cmd: Command, fn: (api: Api, services: Services) => Promise<T>): Promise<T> {
  const services = createServices({ dataDir: globalOptions(cmd).dataDir });
  try {
    return await fn(createDirectApi(services), services);
  } finally {
    await services.close();
  }
}

/** Prints `value` as JSON (--json) or through `human`. */
export function output<T>(cmd: Command, value: T, human: (v: T) => string): void {
  if (globalOptions(cmd).json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else process.stdout.write(`${human(value)}\n`);
}
