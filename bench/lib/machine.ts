// The machine a benchmark ran on, printed beside every figure: a speed ratio without the CPU model and its
// vector extensions cannot be compared (DESIGN §5: the same train-step bench gave 0.68x PyTorch on an AVX2
// EPYC and 1.54x on an AVX-512/AMX Xeon). Reads `lscpu` (util-linux) and falls back to /proc/cpuinfo.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  /** The ISA flags that decide which kernels oneDNN / MLAS pick: avx2, avx512f, avx512_vnni, avx512_bf16, amx_*. */
  isaFlags: string[];
  cores: number;
  memoryGiB: number;
  loadAverage: number;
}

const INTERESTING = /^(avx2|fma|avx512f|avx512bw|avx512_vnni|avx512_bf16|avx512_fp16|avx_vnni|amx_bf16|amx_int8|amx_tile)$/;

export function machineInfo(): MachineInfo {
  let model = os.cpus()[0]?.model?.trim() || 'unknown CPU';
  let flags: string[] = [];
  try {
    const out = execFileSync('lscpu', { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    model = /^Model name:\s*(.+)$/m.exec(out)?.[1]?.trim() || model;
    flags = (/^Flags:\s*(.+)$/m.exec(out)?.[1] ?? '').split(/\s+/);
  } catch {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    flags = (/^flags\s*:\s*(.+)$/m.exec(info)?.[1] ?? '').split(/\s+/);
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
  return {
    cpuModel: model,
    isaFlags: flags.filter((f) => INTERESTING.test(f)),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg()[0],
  };
}

/** One line for a bench's header: `machine: <model> | avx2 fma | 2 cores, 24 GiB | load 0.8 | node v20`. */
export function machineLine(): string {
  const m = machineInfo();
  const isa = m.isaFlags.length ? m.isaFlags.join(' ') : 'no AVX2';
  const avx512 = m.isaFlags.some((f) => f.startsWith('avx512')) ? '' : ' (no AVX-512)';
  const amx = m.isaFlags.some((f) => f.startsWith('amx')) ? '' : ' (no AMX)';
  return `machine: ${m.cpuModel} | ${isa}${avx512}${amx} | ${m.cores} cores, ${m.memoryGiB} GiB | load ${m.loadAverage.toFixed(1)} | node ${process.version}`;
}
