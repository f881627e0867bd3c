// The BYOL/SimSiam collapse monitor (models/byol.ts collapseStd) against PyTorch's
// F.normalize(z, dim=1).std(dim=0).mean() (SimSiam's indicator), and its two landmarks: 0 for collapsed outputs
// (every row the same direction, whatever its length) and about 1/sqrt(d) for outputs spread over the sphere.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { Philox } from '../../../../native-models/init/philox.js';
import { ParamSource } from '../../../../native-models/models/params.js';
import { collapseStd } from '../../../../native-models/models/byol.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

async function monitor(n: number, d: number, data: Float32Array): Promise<number> {
  const g = new GraphBuilder('collapse');
  const z = g.input('z', 'float32', [n, d]);
  g.output(collapseStd({ g, p: new ParamSource(g, 'float32', 'input'), training: true, bnEps: 1e-5, bnMomentum: 0.1 }, z), 'std');
  const s = await GraphSession.create(g.build(), { intraOpNumThreads: 1 });
  const out = await s.run({ z: { dtype: 'float32', dims: [n, d], data } });
  await s.release();
  return Number(out.std.data[0]);
}

function normal(n: number, seed: number, f = (v: number, _i: number) => v): Float32Array {
  const r = new Philox(seed);
  return Float32Array.from({ length: n }, (_, i) => f(r.normal(), i));
}

describe('collapseStd', () => {
  it('equals PyTorch F.normalize(z, dim=1).std(dim=0).mean()', async () => {
    const n = 12, d = 8;
    const z = normal(n * d, 3, (v, i) => v + (i % d === 0 ? 2 : 0)); // one dominant direction: not a trivial case
    const ref = Number(execFileSync('/usr/bin/python3', ['-c', [
      'import sys, json, torch, torch.nn.functional as F',
      `z = torch.tensor(json.load(sys.stdin), dtype=torch.float64).reshape(${n}, ${d})`,
      'print(F.normalize(z, dim=1).std(dim=0).mean().item())',
    ].join('\n')], { input: JSON.stringify(Array.from(z)), encoding: 'utf8' }));
    expect(await monitor(n, d, z)).toBeCloseTo(ref, 6);
  }, 60_000);

  it('is 0 for collapsed outputs and about 1/sqrt(d) for outputs spread over the sphere', async () => {
    const n = 256, d = 64;
    const dir = normal(d, 5);
    const collapsed = Float32Array.from({ length: n * d }, (_, i) => dir[i % d] * (1 + Math.floor(i / d))); // one direction, many lengths
    expect(await monitor(n, d, collapsed)).toBeLessThan(1e-4);
    const spread = await monitor(n, d, normal(n * d, 7));
    expect(spread).toBeGreaterThan(0.9 / Math.sqrt(d));
    expect(spread).toBeLessThan(1.1 / Math.sqrt(d));
  }, 60_000);
});
