// Machine facts (runtime/machine.ts) against /proc/cpuinfo and onnxruntime itself: the ISA flags are the CPU's,
// the NCHWc block follows them (16 with AVX-512F, 8 with AVX2 + FMA), and the plan key names model, flags, threads
// and the onnxruntime version.
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { machineInfo, machineKey } from '../../../../native-models/runtime/machine.js';

describe('machineInfo', () => {
  it('reports the CPU flags of /proc/cpuinfo, the matching NCHWc block and a plan key', () => {
    const m = machineInfo();
    const flags = new Set((/^flags\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').split(/\s+/));
    for (const f of ['avx2', 'fma', 'avx512f', 'amx_tile']) expect(m.isaFlags.includes(f), f).toBe(flags.has(f));
    const expected = process.arch !== 'x64' ? undefined : flags.has('avx512f') ? 16 : flags.has('avx2') && flags.has('fma') ? 8 : undefined;
    expect(m.nchwcBlock).toBe(expected);
    expect(m.ortVersion).toBe(ort.env.versions.common);
    const key = machineKey(3);
    expect(key).toContain(m.cpuModel);
    expect(key).toContain('3 threads');
    expect(key).toContain(`onnxruntime ${m.ortVersion}`);
    expect(machineKey(2)).not.toBe(key);
  });
});
