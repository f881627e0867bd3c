// Conv formulations vs PyTorch: for ResNet-18 conv layers at batch 8 (1 x 64^3 input, stem stride 2), times each
// of Voxelbase's forward formulations (ORT's NCDHW Conv, batched Gemm, NCHWc depth taps, depth taps as one 2-D conv
// with a fed weight as in training) and backward formulations
// (input and weight gradients: native-models/ops/conv-grad.ts, conv-nchwc.ts, conv-nchwc-nc.ts) in onnxruntime-node against PyTorch
// 1.13's conv3d forward and aten.convolution_backward, both on the same number of threads (default 2); then what
// the autotuner (native-models/tuning) chooses for each role on this machine.
// Usage: npm run bench -- conv-grad [--threads 2] [--reps 5] [--case layer1|layer2|stem|all]
import { spawnSync } from 'node:child_process';
import { machineLine } from './lib/machine.js';
import {
  type ConvAttrs,
  type ConvGradOptions,
  GraphBuilder,
  GraphSession,
  Philox,
  defaultPlanner,
  gradients,
  tensor,
  tuneConvPlan,
} from '../native-models/index.js';

interface Case {
  name: string;
  x: number[];
  w: number[];
  attrs: ConvAttrs;
  needInput: boolean;
}

const CASES: Case[] = [
  { name: 'layer1', x: [8, 64, 16, 16, 16], w: [64, 64, 3, 3, 3], attrs: { pads: [1, 1, 1, 1, 1, 1] }, needInput: true },
  { name: 'layer2', x: [8, 64, 16, 16, 16], w: [128, 64, 3, 3, 3], attrs: { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }, needInput: true },
  { name: 'layer2b', x: [8, 128, 8, 8, 8], w: [128, 128, 3, 3, 3], attrs: { pads: [1, 1, 1, 1, 1, 1] }, needInput: true },
  { name: 'layer4', x: [16, 512, 2, 2, 2], w: [512, 512, 3, 3, 3], attrs: { pads: [1, 1, 1, 1, 1, 1] }, needInput: true },
  { name: 'down', x: [8, 64, 16, 16, 16], w: [128, 64, 1, 1, 1], attrs: { strides: [2, 2, 2] }, needInput: true },
  { name: 'stem', x: [8, 1, 64, 64, 64], w: [64, 1, 7, 7, 7], attrs: { strides: [2, 2, 2], pads: [3, 3, 3, 3, 3, 3] }, needInput: false },
];

const FORWARD_FORMS = ['conv', 'batched-gemm', 'nchwc', 'depth-2d'] as const;
const INPUT_FORMS = ['conv-flipped', 'flipped-gemm', 'conv-transpose', 'subpixel', 'nchwc', 'gemm-col2im'] as const;
const WEIGHT_FORMS = ['im2col-gemm', 'im2col-conv', 'conv-nc', 'nchwc-nc'] as const;

function rand(shape: number[], seed: number) {
  const r = new Philox(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = r.uniform() - 0.5;
  return tensor('float32', shape, d);
}

async function time(fn: () => Promise<unknown>, reps: number): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

async function ours(c: Case, form: ConvGradOptions | undefined, wrtX: boolean, wrtW: boolean, threads: number, reps: number): Promise<number> {
  const g = new GraphBuilder(`bench-${c.name}`);
  g.convPlanner = defaultPlanner();
  g.convOptions = { forward: form?.forward };
  const x = g.input('x', 'float32', c.x);
  const w = g.input('w', 'float32', c.w);
  const y = g.op.conv(x, w, undefined, c.attrs);
  const feeds: Record<string, ReturnType<typeof rand>> = { x: rand(c.x, 1), w: rand(c.w, 2) };
  if (!form || (!wrtX && !wrtW)) g.output(y, 'y');
  else {
    const dy = g.input('dy', 'float32', y.shape);
    feeds.dy = rand(y.shape as number[], 3);
    const loss = g.op.reduceSum(g.op.mul(y, dy), undefined, { keepdims: 0 });
    const wrt = [...(wrtX ? [x] : []), ...(wrtW ? [w] : [])];
    const gr = gradients(g, loss, wrt, { conv: form });
    gr.forEach((d, i) => g.output(d, `d${i}`));
  }
  const s = await GraphSession.create(g.build(), { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const t = await time(() => s.run(feeds), reps);
  await s.release();
  return t;
}

const PY = String.raw`
import json, sys, time, torch
import torch.nn.functional as F
a = json.loads(sys.argv[1])
torch.set_num_threads(a["threads"])
x = torch.rand(a["x"]) - 0.5
w = torch.rand(a["w"]) - 0.5
st = a["attrs"].get("strides", [1, 1, 1]); pd = a["attrs"].get("pads", [0] * 6)[:3]
def med(f):
    f(); ts = []
    for _ in range(a["reps"]):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort(); return ts[len(ts) // 2] * 1000
with torch.no_grad():
    fwd = med(lambda: F.conv3d(x, w, None, st, pd))
    y = F.conv3d(x, w, None, st, pd)
dy = torch.rand(y.shape) - 0.5
def bwd(mask):
    return med(lambda: torch.ops.aten.convolution_backward(dy, x, w, None, st, pd, [1, 1, 1], False, [0, 0, 0], 1, mask))
print(json.dumps({"fwd": fwd, "dx": bwd([True, False, False]), "dw": bwd([False, True, False]), "both": bwd([a["needInput"], True, False])}))
`;

function torchTimes(c: Case, threads: number, reps: number): Record<'fwd' | 'dx' | 'dw' | 'both', number> | undefined {
  const r = spawnSync('/usr/bin/python3', ['-c', PY, JSON.stringify({ ...c, threads, reps })], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`PyTorch peer failed: ${r.stderr}`);
    return undefined;
  }
  return JSON.parse(r.stdout);
}

const fmt = (v: number) => `${v.toFixed(1)} ms`;

export default async function main(args: string[]): Promise<void> {
  const opt = (k: string, d: string) => {
    const i = args.indexOf(`--${k}`);
    return i >= 0 ? args[i + 1] : d;
  };
  const threads = Number(opt('threads', '2'));
  const reps = Number(opt('reps', '5'));
  const which = opt('case', 'all');
  console.log(machineLine());
  for (const c of CASES.filter((k) => which === 'all' || k.name === which)) {
    const peer = torchTimes(c, threads, reps);
    const ratio = (v: number, p?: number) => (p ? `, ratio ${(v / p).toFixed(2)}` : '');
    const line = (what: string, t: number, p?: number) =>
      console.log(`${c.name} ${what}: ${fmt(t)} (peer: ${p !== undefined ? fmt(p) : '?'}${ratio(t, p)})`);
    for (const f of FORWARD_FORMS) line(`conv forward [${f}]`, await ours(c, { forward: f }, false, false, threads, reps), peer?.fwd);
    if (c.needInput)
      for (const f of INPUT_FORMS) line(`input grad [${f}]`, await ours(c, { input: f }, true, false, threads, reps), peer?.dx);
    for (const f of WEIGHT_FORMS) line(`weight grad [${f}]`, await ours(c, { weight: f }, false, true, threads, reps), peer?.dw);
    line('weight grad [im2col-conv, batch chunks of 2]', await ours(c, { weight: 'im2col-conv', weightChunk: 2 }, false, true, threads, reps), peer?.dw);
    line('backward [default plan]', await ours(c, {}, c.needInput, true, threads, reps), peer?.both);
    // what the autotuner picks here (it times at batch <= 4; a formulation that does not apply is not offered)
    const t0 = performance.now();
    const { report } = await tuneConvPlan((planner) => {
      const g = new GraphBuilder('tune');
      g.convPlanner = planner;
      const x = g.input('x', 'float32', c.x), w = g.input('w', 'float32', c.w);
      const y = g.op.conv(x, w, undefined, c.attrs);
      gradients(g, g.op.reduceSum(y, undefined, { keepdims: 0 }), c.needInput ? [x, w] : [w]);
    }, { threads });
    for (const ch of report.choices)
      console.log(`${c.name} autotuner ${ch.signature.split(' ')[0]}: ${ch.form} (default ${ch.defaultForm}; ${Object.entries(ch.times ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? `${v} ms` : 'failed'}`).join(', ') || 'one candidate'})`);
    console.log(`${c.name} autotuning took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
