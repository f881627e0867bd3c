// Entry point of the `voxelbase` CLI (bin/voxelbase.js imports this).
import { runCli } from './program.js';

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  process.exitCode = await runCli(argv);
}
