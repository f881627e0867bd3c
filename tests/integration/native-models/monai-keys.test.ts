// The encoder's parameter and buffer names and shapes are MONAI's ResNet state-dict keys exactly (export is a
// rename-free write), for ResNet-10/18/34/50 and both shortcut types, checked against the PyTorch re-implementation
// of monai.networks.nets.ResNet in reference/byol_reference.py (num_batches_tracked is the runner's counter).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../native-models/ops/builder.js';
import { ParamSource } from '../../../native-models/models/params.js';
import { type ResNetConfig, type ResNetDepth, resnet3d, resnetPreset } from '../../../native-models/models/resnet3d.js';
import { REFERENCE } from './byol-parity-harness.js';

function oursKeys(cfg: ResNetConfig): Record<string, number[]> {
  const g = new GraphBuilder('keys');
  const p = new ParamSource(g, 'float32', 'input');
  resnet3d({ g, p, training: true, bnEps: 1e-5, bnMomentum: 0.1 }, g.input('x', 'float32', [2, cfg.inChannels, 32, 32, 32]), cfg);
  return Object.fromEntries(p.specs.map((s) => [s.name, s.dims]));
}

function torchKeys(cfg: ResNetConfig): Record<string, number[]> {
  const py = `
import json, sys
sys.path.insert(0, ${JSON.stringify(REFERENCE.replace(/\/[^/]+$/, ''))})
import byol_reference as r
c = json.loads(sys.argv[1])
m = r.ResNet(c)
print(json.dumps({k: list(v.shape) for k, v in m.state_dict().items() if not k.endswith('num_batches_tracked')}))
`;
  const c = { block: cfg.block, layers: cfg.layers, widths: cfg.widths, in_channels: cfg.inChannels, conv1_kernel: cfg.conv1Kernel, conv1_stride: cfg.conv1Stride, no_max_pool: cfg.noMaxPool, shortcut: cfg.shortcut, bias_downsample: cfg.biasDownsample };
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, JSON.stringify(c)], { encoding: 'utf8', maxBuffer: 1 << 24 }));
}

describe('MONAI state-dict keys', () => {
  const cases: [ResNetDepth, Partial<ResNetConfig>][] = [
    [10, { biasDownsample: false }],
    [18, {}],
    [34, { shortcut: 'A' }],
    [50, { biasDownsample: false, inChannels: 2 }],
  ];
  for (const [depth, over] of cases) {
    it(`resnet${depth} ${JSON.stringify(over)}`, () => {
      const cfg = resnetPreset(depth, over);
      expect(oursKeys(cfg)).toEqual(torchKeys(cfg));
    }, 120_000);
  }
});
