// `voxelbase browse roots|add-root|remove-root|list|check`: the web mode's folder browser (fs:* calls) from
// the command line: which folders the browser may show (home, the folders added, the folders imported
// before), adding or removing one, listing a folder as the browser sees it, checking a path as the Import
// screen does before adding it. --json for scripts.
import type { Command } from 'commander';
import type { FsCheckedPath, FsListing, FsRoot } from '../../contract/types.js';
import { output, withServices } from '../context.js';

const rootsText = (roots: FsRoot[]) => roots.map((r) => `${r.kind.padEnd(9)} ${r.path}`).join('\n');

export function registerBrowse(program: Command): void {
  const browse = program.command('browse').description("the web mode's folder browser: its roots, a folder's entries, a path check");
  browse
    .command('roots')
    .description('folders the browser may show')
    .action(async (_o: unknown, cmd: Command) => {
      output(cmd, await withServices(cmd, (api) => api.call('fs:roots', {})), rootsText);
    });
  browse
    .command('add-root')
    .description('let the browser show a folder (and everything under it)')
    .argument('<path>', 'an existing folder (~ is expanded)')
    .action(async (p: string, _o: unknown, cmd: Command) => {
      output(cmd, await withServices(cmd, (api) => api.call('fs:addRoot', { path: p })), rootsText);
    });
  browse
    .command('remove-root')
    .description('remove a folder added with add-root')
    .argument('<path>', 'a folder added before')
    .action(async (p: string, _o: unknown, cmd: Command) => {
      output(cmd, await withServices(cmd, (api) => api.call('fs:removeRoot', { path: p })), rootsText);
    });
  browse
    .command('list')
    .description("a folder's entries as the browser shows them (refused outside the roots)")
    .argument('[path]', 'a folder (~ is expanded)', '~')
    .option('--hidden', 'also list entries whose names start with "."')
    .action(async (p: string, o: { hidden?: boolean }, cmd: Command) => {
      const listing = await withServices(cmd, (api) => api.call('fs:list', { path: p, showHidden: Boolean(o.hidden) }));
      output(cmd, listing, listingText);
    });
  browse
    .command('check')
    .description('check a path as the Import screen does before adding it: its real path, file or folder')
    .argument('<path>', 'a file or folder (~ is expanded)')
    .action(async (p: string, _o: unknown, cmd: Command) => {
      const checked = await withServices(cmd, (api) => api.call('fs:check', { path: p }));
      output(cmd, checked, (c: FsCheckedPath) => `${c.kind === 'dir' ? 'folder' : 'file'} ${c.path}${c.insideRoots ? '' : ' (outside the browser roots)'}`);
    });
}

function listingText(l: FsListing): string {
  const lines = [`${l.path}  (root ${l.root})`];
  for (const e of l.entries) {
    const what = e.kind === 'dir' ? `${e.name}/` : e.name;
    lines.push(`  ${what}${e.browsable ? '' : `  [${e.why ?? 'not browsable'}]`}`);
  }
  if (l.hidden) lines.push(`  (${l.hidden} hidden)`);
  if (l.truncated) lines.push('  ... more entries left out');
  return lines.join('\n');
}
