// The `voxelbase` command line: global options and every command from commands/index.ts.
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { packageInfo } from '../services/info/version.js';
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
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0
        ? 0
        : 2;
    }
    const json = argv.includes('--json');
    const e = serializeError(err);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: e }, null, 2)}\n`);
    else process.stderr.write(`voxelbase: ${e.name}: ${e.message}\n`);
    return e.name === 'ValidationError' ? 2 : 1;
  }
}
