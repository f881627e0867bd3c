// The machine a benchmark ran on, printed beside every figure: a speed ratio without the CPU model and its
// vector extensions cannot be compared (DESIGN §5: the same train-step bench gave 0.68x PyTorch on an AVX2
// EPYC and 1.54x on an AVX-512/AMX Xeon). The facts come from the engine's own detection (native-models
// runtime/machine.ts: lscpu or /proc/cpuinfo), which also keys its tuned conv plans.
import { type MachineInfo, machineInfo } from '../../native-models/index.js';

export { type MachineInfo, machineInfo };

/** One line for a bench's header: `machine: <model> | avx2 fma | 2 cores, 24 GiB | load 0.8 | node v20`. */
export function machineLine(): string {
  const m = machineInfo();
  const isa = m.isaFlags.length ? m.isaFlags.join(' ') : 'no AVX2';
  const avx512 = m.isaFlags.some((f) => f.startsWith('avx512')) ? '' : ' (no AVX-512)';
  const amx = m.isaFlags.some((f) => f.startsWith('amx')) ? '' : ' (no AMX)';
  return `machine: ${m.cpuModel} | ${isa}${avx512}${amx} | ${m.cores} cores, ${m.memoryGiB} GiB | load ${m.loadAverage.toFixed(1)} | node ${process.version} | onnxruntime ${m.ortVersion}`;
}
