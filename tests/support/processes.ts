// Processes of this machine, read from /proc (Linux), for tests that check what runs where: a child's environment,
// and that no child outlives the process that started it.
import fs from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  cmdline: string[];
  env: Record<string, string>;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const env: Record<string, string> = {};
    for (const kv of fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return { pid, ppid, cmdline, env };
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

/** The live processes whose command line has an argument ending in `entry` and whose environment matches `env`. */
export function findProcesses(entry: string, env: Record<string, string> = {}): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (!p || !p.cmdline.some((a) => a.endsWith(entry))) continue;
    if (Object.entries(env).every(([k, v]) => p.env[k] === v)) out.push(p);
  }
  return out;
}
