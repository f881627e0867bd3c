// Which execution provider trains a run (app/services/pretrain/provider.ts, issue 9 "Execution provider"): the probed
// providers that work are tried in the order CUDA, WebGPU, CPU whatever order the probe lists them in; CPU is always
// the last resort; `--provider` forces one, which must be known and working (ProviderError naming it and the probe's
// reason). The probe (native-models probeProviders, a child process per provider) is replaced by fixed answers here:
// this machine has no GPU, so only the ordering logic can be checked on it (the real probe is exercised by the
// pretrain job tests, which find 'cpu').
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProviderStatus } from '../../../../../native-models/index.js';

let probed: ProviderStatus[] = [];
vi.mock('../../../../../native-models/index.js', () => ({ probeProviders: async () => probed.map((p) => ({ ...p })) }));

const { chooseProviders, PROVIDER_ORDER } = await import('../../../../../app/services/pretrain/provider.js');

describe('chooseProviders', () => {
  beforeEach(() => {
    probed = [
      { name: 'cpu', works: true, detail: 'ok' },
      { name: 'cuda', works: true, detail: 'NVIDIA H100' },
      { name: 'webgpu', works: true, detail: 'adapter' },
    ];
  });

  it('tries CUDA, then WebGPU, then CPU, in that order, keeping only those that work', async () => {
    expect(PROVIDER_ORDER).toEqual(['cuda', 'webgpu', 'cpu']);
    expect((await chooseProviders()).candidates).toEqual(['cuda', 'webgpu', 'cpu']);
    probed[1].works = false; // no CUDA libraries
    expect((await chooseProviders()).candidates).toEqual(['webgpu', 'cpu']);
    probed[2].works = false; // no WebGPU adapter
    const choice = await chooseProviders();
    expect(choice.candidates).toEqual(['cpu']);
    expect(choice.probed.map((p) => [p.name, p.works])).toEqual([['cpu', true], ['cuda', false], ['webgpu', false]]);
  });

  it('keeps CPU as the last resort even when its probe failed', async () => {
    probed = [{ name: 'cpu', works: false, detail: 'probe timed out' }, { name: 'webgpu', works: true }];
    expect((await chooseProviders()).candidates).toEqual(['webgpu', 'cpu']);
  });

  it('--provider forces one that works, and refuses one that is unknown or does not work, saying why', async () => {
    expect((await chooseProviders('CPU')).candidates).toEqual(['cpu']);
    expect((await chooseProviders('webgpu')).candidates).toEqual(['webgpu']);
    probed[1] = { name: 'cuda', works: false, detail: 'libcublasLt.so.13: cannot open shared object file' };
    await expect(chooseProviders('cuda')).rejects.toMatchObject({
      name: 'ProviderError',
      message: "execution provider 'cuda' does not work on this machine: libcublasLt.so.13: cannot open shared object file",
    });
    await expect(chooseProviders('tpu')).rejects.toMatchObject({ name: 'ProviderError', message: expect.stringContaining("'tpu' is unknown; probed: cpu, cuda, webgpu") });
  });
});
