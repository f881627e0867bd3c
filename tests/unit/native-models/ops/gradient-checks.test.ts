// The gradient-check suite: every op in the registry has at least one check here, and a test fails for any op
// without one. Each differentiable check is a random-direction vector-Jacobian test with central finite
// differences run through onnxruntime-node (native-models/autodiff/grad-check.ts).
// The cases (and the dtype/tolerance reasoning) are in op-cases.ts.
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../../native-models/autodiff/gradients.js';
import { gradCheck } from '../../../../native-models/autodiff/grad-check.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { tensor } from '../../../../native-models/ir/tensor.js';
import { OPS, opByType, registeredTypes } from '../../../../native-models/ops/registry.js';
import { CHECKS } from './op-cases.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

describe('gradient checks', () => {
  it('every registered op has a gradient check', () => {
    const missing = registeredTypes().filter((t) => !CHECKS[t] || CHECKS[t].length === 0);
    expect(missing).toEqual([]);
  });

  it('every op is differentiable, or declares a zero gradient or no gradient with a reason (exactly one)', () => {
    for (const t of registeredTypes()) {
      const def = opByType(t)!;
      const kinds = [def.grad !== undefined, def.zeroGradient !== undefined, def.nonDifferentiable !== undefined];
      expect(kinds.filter(Boolean).length, t).toBe(1);
      const nd = CHECKS[t]?.some((c) => 'nonDifferentiable' in c || 'noGradient' in c);
      if (nd) expect(def.grad, t).toBeUndefined();
      if (!def.grad) expect(def.zeroGradient ?? def.nonDifferentiable, t).toMatch(/\w/);
    }
    expect(Object.keys(OPS).length).toBeGreaterThanOrEqual(registeredTypes().length);
  });

  for (const [type, checks] of Object.entries(CHECKS)) {
    checks.forEach((check, k) => {
      it(`${type} #${k}`, async () => {
        if ('noGradient' in check) {
          // float outputs without a rule: a path through the op is refused, naming it
          await expect(gradCheck(check.noGradient)).rejects.toThrow(/^(ReorderInput|ReorderOutput|Conv) \(.*\): no gradient rule \(NCHWc layout op/);
          return;
        }
        if ('nonDifferentiable' in check) {
          // zero-gradient ops (Floor, Sign) end the path; bool/int outputs carry no gradient: the input is then not
          // connected to the loss, which autodiff refuses by default ...
          await expect(gradCheck(check.nonDifferentiable)).rejects.toThrow(/does not depend on x through any differentiable path/);
          // ... and with unconnected: 'zeros' the VJP is exactly 0, as is the finite difference
          const res = await gradCheck({ ...check.nonDifferentiable, options: { unconnected: 'zeros' } });
          for (const r of res) {
            expect(Math.abs(r.analytic), `${type} ${r.input}`).toBe(0);
            expect(Math.abs(r.numeric), `${type} ${r.input}`).toBeLessThan(1e-9);
          }
          return;
        }
        const res = await gradCheck(check);
        expect(res.length).toBeGreaterThan(0);
        for (const r of res) {
          expect(r.analytic, `${type} ${r.input}: analytic vanished, check is vacuous`).not.toBe(0);
          expect(r.error, `${type} ${r.input}: analytic ${r.analytic} numeric ${r.numeric}`).toBeLessThanOrEqual(r.tolerance);
        }
      });
    });
  }
});

describe('autodiff plumbing', () => {
  it('accumulates fan-out and prunes branches that do not reach the loss', async () => {
    const g = new GraphBuilder('fanout');
    const x = g.input('x', 'float64', [3]);
    const y = g.op.mul(x, x); // x used twice
    const z = g.op.add(y, g.op.exp(x)); // and a third time
    g.op.log(g.op.abs(x)); // dead branch: must not get gradient nodes
    const loss = g.op.reduceSum(z, undefined, { keepdims: 0 });
    const before = g.nodes.length;
    const [dx] = gradients(g, loss, [x]);
    const added = g.nodes.slice(before);
    expect(added.some((n) => n.opType === 'Log' || n.opType === 'Sign')).toBe(false);
    g.output(dx, 'dx');
    const s = await GraphSession.create(g.build());
    const xs = [0.3, -1.2, 2];
    const out = await s.run({ x: tensor('float64', [3], xs) });
    xs.forEach((v, i) => expect(out.dx.data[i]).toBeCloseTo(2 * v + Math.exp(v), 12));
  });

  it('stops gradients at stop-gradient values', async () => {
    const g = new GraphBuilder('stop');
    const x = g.input('x', 'float64', [2]);
    const t = g.op.exp(x); // treated as a constant (like BYOL's target branch)
    const loss = g.op.reduceSum(g.op.mul(x, t), undefined, { keepdims: 0 });
    const [dx] = gradients(g, loss, [x], { stopGradients: [t] });
    g.output(dx, 'dx');
    const s = await GraphSession.create(g.build());
    const out = await s.run({ x: tensor('float64', [2], [0.5, -1]) });
    expect(out.dx.data[0]).toBeCloseTo(Math.exp(0.5), 14);
    expect(out.dx.data[1]).toBeCloseTo(Math.exp(-1), 14);
  });

  it('refuses an input the loss does not depend on, or gives zeros when asked', () => {
    const g = new GraphBuilder('unconnected');
    const x = g.input('x', 'float64', [2]);
    const w = g.input('w', 'float64', [2]);
    const loss = g.op.reduceSum(x, undefined, { keepdims: 0 });
    expect(() => gradients(g, loss, [w])).toThrow(/does not depend on w through any differentiable path/);
    expect(gradients(g, loss, [w], { unconnected: 'zeros', scope: 'g2' })[0].producer?.opType).toBe('ConstantOfShape');
  });
});
