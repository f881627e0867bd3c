// The `voxelbase` command line: global options and every command from commands/index.ts.
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { packageInfo } from '../services/info/index.js';
import { serializeError } from '../contract/errors.js';

export function buildProgram(): Command {
  const program = new Command('voxelbase')
    .description('Offline self-supervised pretraining, embedding and similarity search for radiology studies')
    .version(packageInfo().version)
    .option('--json', 'machine-readable JSON output')
    .option('--data-dir <dir>', 'data folder (default: VOXELBASE_HOME, else the per-user app-data folder)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 error, 2 usage). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    // A command that finished but failed in part sets process.exitCode (import, preprocess); keep it.
    return Number(process.exitCode ?? 0) || 0;
  } catch (err) {
    const json = argv.includes('--json');
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
      // Commander has already explained the usage error on stderr; --json callers also get it as a document.
      const usage = { name: 'UsageError', message: err.message.replace(/^error:\s*/i, '') };
      if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: usage }, null, 2)}\n`);
      return 2;
    }
    const e = serializeError(err);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: e }, null, 2)}\n`);
    else process.stderr.write(`voxelbase: ${e.name}: ${e.message}\n`);
    return e.name === 'ValidationError' ? 2 : 1;
  }
}
