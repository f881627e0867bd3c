// `voxelbase serve`: web mode. Starts the services and the loopback HTTP + WebSocket server, prints the
// URL with its access token, opens it in the default browser unless --no-open, and runs until
// interrupted (Ctrl-C), then cancels running jobs and closes the catalogue.
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { createServices } from '../../services/index.js';
import { globalOptions } from '../context.js';

export interface ServeOptions {
  port?: string;
  open: boolean;
  staticDir?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the web mode: the app in any Chromium at http://127.0.0.1 (token-protected)')
    .option('--port <n>', 'port on 127.0.0.1 (default: a random free port)')
    .option('--no-open', 'do not open the browser')
    .option('--static-dir <dir>', 'serve the renderer from this folder (default dist/renderer)')
    .action(async (opts: ServeOptions, cmd: Command) => {
      await serve(cmd, opts);
    });
}

export async function serve(cmd: Command, opts: ServeOptions, hint?: string): Promise<void> {
  const g = globalOptions(cmd);
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${opts.port}`);
  const services = createServices({ dataDir: g.dataDir });
  let web;
  try {
    // Loaded here, not at start-up: the HTTP/WebSocket stack is only needed by this command.
    const { startWebServer } = await import('../../transports/http/server.js');
    web = await startWebServer({ services, port, staticDir: opts.staticDir });
  } catch (err) {
    await services.close();
    throw err;
  }
  if (g.json) {
    process.stdout.write(`${JSON.stringify({ url: web.url, port: web.port, token: web.token, dataDir: g.dataDir })}\n`);
  } else {
    process.stdout.write(`Voxelbase web mode: ${web.url}\n`);
    process.stdout.write(`data folder: ${g.dataDir}\n`);
    if (hint) process.stdout.write(`${hint}\n`);
    process.stdout.write('Press Ctrl-C to stop.\n');
  }
  void import('../../../native-models/index.js').then((m) => m.probeProviders()).catch(() => undefined); // warm the cache: the status panel asks app:info first thing
  if (opts.open) openBrowser(web.url);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await web.close();
  await services.close();
}

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // no browser opener: the printed URL is enough
    child.unref();
  } catch {
    /* ignore */
  }
}
