// One update of each in-graph optimiser on small tensors against the formulas written out here (SGD momentum as
// torch.optim.SGD, LARS as BYOL/DeepMind's with exclusion, AdamW as torch.optim.AdamW), float64.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { adamw } from '../../../../native-models/optim/adamw.js';
import { lars } from '../../../../native-models/optim/lars.js';
import type { Optimizer } from '../../../../native-models/optim/optimizer.js';
import { sgd } from '../../../../native-models/optim/sgd.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

const P = [0.5, -1.5, 2, 0.25];
const G = [0.1, 0.2, -0.3, 0.05];
const S1 = [0.01, -0.02, 0.03, 0];
const S2 = [1e-4, 4e-4, 9e-4, 1e-6];
const HP = { lr: 0.1, wd: 0.01, step: 3 };

async function run(opt: Optimizer, excluded: boolean): Promise<Record<string, number[]>> {
  const g = new GraphBuilder('opt');
  const t = (n: string) => g.input(n, 'float64', [4]);
  const sc = (n: string) => g.input(n, 'float64', []);
  const state: Record<string, ReturnType<typeof t>> = {};
  opt.slots.forEach((s, i) => { state[s] = t(`s${i}`); });
  const hp = { lr: sc('lr'), weightDecay: sc('wd'), step: sc('step') };
  const u = opt.update(g, { name: 'w', param: t('p'), grad: t('g'), state, excluded }, hp);
  g.output(u.param, 'p_new');
  opt.slots.forEach((s, i) => g.output(u.state[s], `s${i}_new`));
  const sess = await GraphSession.create(g.build());
  const v = (a: number[]) => ({ dtype: 'float64' as const, dims: [a.length], data: Float64Array.from(a) });
  const s = (x: number) => ({ dtype: 'float64' as const, dims: [], data: Float64Array.from([x]) });
  const feeds: Record<string, ReturnType<typeof v>> = { p: v(P), g: v(G), s0: v(S1), lr: s(HP.lr), wd: s(HP.wd), step: s(HP.step) };
  if (opt.slots.length > 1) feeds.s1 = v(S2);
  const out = await sess.run(Object.fromEntries(Object.entries(feeds).filter(([k]) => sess.inputNames.includes(k))));
  return Object.fromEntries(Object.entries(out).map(([k, x]) => [k, Array.from(x.data as Float64Array)]));
}

const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 13));

describe('in-graph optimisers', () => {
  it('SGD with momentum and coupled weight decay', async () => {
    const d = G.map((g, i) => g + HP.wd * P[i]);
    const buf = S1.map((s, i) => 0.9 * s + d[i]);
    const out = await run(sgd({ momentum: 0.9 }), false);
    close(out.s0_new, buf);
    close(out.p_new, P.map((p, i) => p - HP.lr * buf[i]));
  });

  it('LARS: trust ratio eta ||p|| / ||g + wd p||; excluded tensors get neither decay nor adaptation', async () => {
    const d = G.map((g, i) => g + HP.wd * P[i]);
    const r = (1e-3 * Math.hypot(...P)) / Math.hypot(...d);
    const buf = S1.map((s, i) => 0.9 * s + r * d[i]);
    const out = await run(lars({ momentum: 0.9, eta: 1e-3 }), false);
    close(out.s0_new, buf);
    close(out.p_new, P.map((p, i) => p - HP.lr * buf[i]));
    const ex = await run(lars({ momentum: 0.9, eta: 1e-3 }), true);
    close(ex.s0_new, S1.map((s, i) => 0.9 * s + G[i]));
  });

  it('AdamW with decoupled decay and bias correction at step t', async () => {
    const [b1, b2, eps, t] = [0.9, 0.999, 1e-8, HP.step];
    const m = S1.map((s, i) => b1 * s + (1 - b1) * G[i]);
    const v = S2.map((s, i) => b2 * s + (1 - b2) * G[i] ** 2);
    const p = P.map((x, i) => x * (1 - HP.lr * HP.wd) - (HP.lr / (1 - b1 ** t)) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps));
    const out = await run(adamw({ betas: [b1, b2], eps }), false);
    close(out.s0_new, m);
    close(out.s1_new, v);
    close(out.p_new, p);
  });
});
