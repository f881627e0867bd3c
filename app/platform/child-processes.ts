// Node child processes for work that should not share the app's process (the trainer): the C allocator settings a
// process can only take at its start (native-models trainingProcessEnv), memory handed back to the system when it
// ends, and a native crash or a step that never returns ended by a signal without taking the app down. The entry
// resolves like a worker thread's (./workers.ts resolveWorkerEntry): compiled .js runs as is, a TypeScript source
// through tsx's loader. Messages use structured cloning ('advanced' serialization), as between worker threads.
// In Electron's main process child_process.fork runs Electron's own binary as plain Node (it sets
// ELECTRON_RUN_AS_NODE itself; the RunAsNode fuse must stay on, which is Electron's default and this app's).
import { fork, type ChildProcess } from 'node:child_process';
import { resolveWorkerEntry, tsxExportUrl } from './workers.js';

export interface ChildOptions {
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/** A Node process running `relativeJs` next to `callerUrl` (pass `import.meta.url`), with an IPC channel. */
export function forkChild(callerUrl: string, relativeJs: string, options: ChildOptions = {}): ChildProcess {
  const entry = resolveWorkerEntry(callerUrl, relativeJs);
  // Not this process's flags: under Electron or a test runner they are not Node's, or not the child's business.
  const execArgv = /\.(c|m)?ts$/.test(entry) ? ['--import', tsxExportUrl('.')] : [];
  const env = options.env ?? process.env;
  return fork(entry, [], {
    // Electron's fork adds ELECTRON_RUN_AS_NODE to the environment itself; set here too, so that the child runs as
    // Node whatever environment object the caller built
    env: process.versions.electron ? { ...env, ELECTRON_RUN_AS_NODE: '1' } : env,
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
