// The machine a graph runs on, as far as kernel choice is concerned: CPU model, the ISA flags that decide which
// kernels MLAS (ORT's CPU math library) and oneDNN (PyTorch's) pick, threads, and the onnxruntime version. Plans
// tuned on one machine are valid only on an equal one (DESIGN §5: the same step was 0.68x PyTorch on an AVX2 EPYC
// and 1.54x on an AVX-512/AMX Xeon), so the key of a tuned plan is made from these facts.
// Linux: `lscpu` (util-linux), falling back to /proc/cpuinfo; elsewhere Node's os.cpus() model and no flags.
// NCHWc block size: MLAS uses 16 floats with AVX-512F, 8 with AVX2 (MlasNchwcGetBlockSize; x86-64 only here).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { ortVersion } from './session.js';

export interface MachineInfo {
  cpuModel: string;
  /** The ISA flags that decide which kernels MLAS / oneDNN pick: avx2, fma, avx512*, avx_vnni, amx_*. */
  isaFlags: string[];
  /** Logical CPUs available to this process. */
  cores: number;
  memoryGiB: number;
  loadAverage: number;
  arch: string;
  ortVersion: string;
  /** MLAS's NCHWc block size on this CPU, or undefined where the engine does not use NCHWc. */
  nchwcBlock: number | undefined;
}

const INTERESTING = /^(avx2|fma|avx512f|avx512bw|avx512_vnni|avx512_bf16|avx512_fp16|avx_vnni|amx_bf16|amx_int8|amx_tile)$/;

let cached: Omit<MachineInfo, 'loadAverage'> | undefined;

function cpuinfo(): string {
  try {
    return fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

export function machineInfo(): MachineInfo {
  if (!cached) {
    let model = os.cpus()[0]?.model?.trim() || 'unknown CPU';
    let flags: string[] = [];
    const info = cpuinfo();
    try {
      const out = execFileSync('lscpu', { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'ignore'] });
      model = /^Model name:\s*(.+)$/m.exec(out)?.[1]?.trim() || model;
      flags = (/^Flags:\s*(.+)$/m.exec(out)?.[1] ?? '').split(/\s+/);
    } catch {
      flags = (/^flags\s*:\s*(.+)$/m.exec(info)?.[1] ?? '').split(/\s+/);
    }
    // lscpu on virtual machines may say only "AMD EPYC": family/model tell Zen 2/3/4 apart
    const fam = /^cpu family\s*:\s*(\d+)$/m.exec(info)?.[1];
    const mod = /^model\s*:\s*(\d+)$/m.exec(info)?.[1];
    if (fam && mod && !model.includes('family')) model = `${model} (family ${fam}, model ${mod})`;
    const isaFlags = flags.filter((f) => INTERESTING.test(f));
    const x64 = os.arch() === 'x64';
    const nchwcBlock = !x64 ? undefined : isaFlags.includes('avx512f') ? 16 : isaFlags.includes('avx2') && isaFlags.includes('fma') ? 8 : undefined;
    cached = {
      cpuModel: model,
      isaFlags,
      cores: os.availableParallelism?.() ?? os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      arch: os.arch(),
      ortVersion: ortVersion(),
      nchwcBlock,
    };
  }
  return { ...cached, isaFlags: [...cached.isaFlags], loadAverage: os.loadavg()[0] };
}

/** Key of a tuned plan: CPU model, ISA flags, threads, onnxruntime version. */
export function machineKey(threads: number): string {
  const m = machineInfo();
  return `${m.cpuModel} | ${m.isaFlags.join(' ') || 'no AVX2'} | ${threads} threads | onnxruntime ${m.ortVersion}`;
}
