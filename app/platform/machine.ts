// The machine a run trains on, recorded with the run and printed beside every benchmark figure (DESIGN §5: a speed
// figure without the CPU model and its vector extensions cannot be compared): the CPU model (lscpu, else
// /proc/cpuinfo, else Node's), the ISA flags that decide which kernels oneDNN / MLAS pick, cores and memory, and the
// GPU model when nvidia-smi names one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  /** avx2, fma, avx512f, avx512bw, avx512_vnni, avx512_bf16, avx512_fp16, avx_vnni, amx_*. */
  isaFlags: string[];
  cores: number;
  memoryGiB: number;
  loadAverage: number;
}

const INTERESTING = /^(avx2|fma|avx512f|avx512bw|avx512_vnni|avx512_bf16|avx512_fp16|avx_vnni|amx_bf16|amx_int8|amx_tile)$/;

let cached: Omit<MachineInfo, 'loadAverage'> | undefined;

export function machineInfo(): MachineInfo {
  if (!cached) {
    let model = os.cpus()[0]?.model?.trim() || 'unknown CPU';
    let flags: string[] = [];
    try {
      const out = execFileSync('lscpu', { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'ignore'] });
      model = /^Model name:\s*(.+)$/m.exec(out)?.[1]?.trim() || model;
      flags = (/^Flags:\s*(.+)$/m.exec(out)?.[1] ?? '').split(/\s+/);
    } catch {
      try {
        flags = (/^flags\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').split(/\s+/);
      } catch {
        /* not Linux */
      }
    }
    // lscpu on virtual machines may say only "AMD EPYC": add family/model so Zen 2/3/4 can be told apart.
    try {
      const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
      const fam = /^cpu family\s*:\s*(\d+)$/m.exec(info)?.[1];
      const mod = /^model\s*:\s*(\d+)$/m.exec(info)?.[1];
      if (fam && mod && !model.includes('family')) model = `${model} (family ${fam}, model ${mod})`;
    } catch {
      /* not Linux */
    }
    cached = {
      cpuModel: model,
      isaFlags: flags.filter((f) => INTERESTING.test(f)),
      cores: os.availableParallelism?.() ?? os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    };
  }
  return { ...cached, loadAverage: os.loadavg()[0] };
}

/** The first GPU's name from nvidia-smi, or undefined. */
export function gpuModel(): string | undefined {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n')[0]?.trim() || undefined;
  } catch {
    return undefined;
  }
}
