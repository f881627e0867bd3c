// Times the candidate formulations of one conv signature and role (ops/conv-plan.ts) on this machine: each
// candidate is built alone in a small graph (x, w or dy fed, the formulation forced), loaded in its own session,
// run once to warm up and to check its output against the first candidate's (a wrong or unsupported formulation
// is dropped with its error, never chosen), then timed; the time is the fastest of a few runs, which is the most
// stable statistic on a busy machine. A candidate whose warm-up run is already 4x slower than the best is not
// timed further (its warm-up time is recorded), and one twice as slow as the best after two timed runs is not run
// again (after one, a single slow run lost the stem's depth-2d form the plan: 78.7 ms, against 23-26 ms in every
// later run and 28-31 for ORT's Conv). closeCalls picks the candidates within RETIME_WITHIN of the best, which the
// autotuner times once more at its end: near-ties decide the plan. Float32, the CPU provider, the given thread count.
import { Value } from '../ir/graph.js';
import type { TensorData } from '../ir/tensor.js';
import { GraphBuilder } from '../ops/builder.js';
import { convInputGrad, convWeightGrad } from '../ops/conv-grad.js';
import type { Resolved } from '../ops/conv-attrs.js';
import type { ConvForm, ConvSignature } from '../ops/conv-plan.js';
import type { ConvInputGrad, ConvWeightGrad } from '../ops/op-def.js';
import { GraphSession } from '../runtime/session.js';

export interface CandidateTiming {
  form: ConvForm;
  /** Fastest run in ms, when the candidate ran and agreed with the reference. */
  ms?: number;
  error?: string;
}

export interface TimerOptions {
  threads: number;
  /** NCHWc block size of this machine (undefined: NCHWc candidates are not offered). */
  nchwcBlock?: number;
  /** Timed runs per candidate at most (default 3). */
  runs?: number;
}

/** The Resolved attributes of a signature (group 1: the engine's networks have no grouped convs). */
export function resolvedOf(sig: ConvSignature): Resolved {
  const r = sig.x.length - 2;
  return { k: sig.w.slice(2), s: sig.strides, d: sig.dilations, pb: sig.pads.slice(0, r), pe: sig.pads.slice(r), group: 1 };
}

/** Spatial output size of the conv a signature describes (for every role: x is the conv's input, w its weight). */
function outSpatial(sig: ConvSignature): number[] {
  const a = resolvedOf(sig);
  return sig.x.slice(2).map((d, i) => Math.floor((d + a.pb[i] + a.pe[i] - ((a.k[i] - 1) * a.d[i] + 1)) / a.s[i]) + 1);
}

/** Multiply-adds of the conv for one sample: output voxels x out channels x in channels x kernel volume. */
export function macsPerSample(sig: ConvSignature): number {
  const prod = (v: number[]) => v.reduce((p, q) => p * q, 1);
  return prod(outSpatial(sig)) * sig.w[0] * sig.w[1] * prod(sig.w.slice(2));
}

function fill(shape: number[], seed: number): TensorData {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return { dtype: 'float32', dims: shape, data };
}

/** The graph of one candidate: its output `out`, and its feeds. */
function candidateGraph(sig: ConvSignature, form: ConvForm, block: number | undefined) {
  const a = resolvedOf(sig);
  const g = new GraphBuilder('tune');
  g.convPlanner = { choose: () => undefined, nchwcBlock: block };
  const yShape = [sig.x[0], sig.w[0], ...outSpatial(sig)];
  const feeds: Record<string, TensorData> = {};
  let out: Value;
  if (sig.role === 'forward') {
    g.convOptions = { forward: form as never };
    // a constant weight is timed as an initializer, as the graph will have it (ORT may re-lay it out at load)
    const x = g.input('x', 'float32', sig.x), w = sig.constWeight ? g.initializer('w', fill(sig.w, 2)) : g.input('w', 'float32', sig.w);
    feeds.x = fill(sig.x, 1);
    if (!sig.constWeight) feeds.w = fill(sig.w, 2);
    out = g.op.conv(x, w, undefined, { strides: a.s, pads: sig.pads, dilations: a.d });
  } else if (sig.role === 'input-grad') {
    const w = g.input('w', 'float32', sig.w), dy = g.input('dy', 'float32', yShape);
    feeds.w = fill(sig.w, 2);
    feeds.dy = fill(yShape, 3);
    out = convInputGrad(g, dy, w, new Value('x', 'float32', sig.x), a, form as ConvInputGrad, 'tune');
  } else {
    const x = g.input('x', 'float32', sig.x), dy = g.input('dy', 'float32', yShape);
    feeds.x = fill(sig.x, 1);
    feeds.dy = fill(yShape, 3);
    out = convWeightGrad(g, x, dy, new Value('w', 'float32', sig.w), a, form as ConvWeightGrad, 'tune');
  }
  g.output(out, 'out');
  return { graph: g.build(), feeds };
}

function maxRelDiff(p: Float32Array, q: Float32Array): number {
  let scale = 0, diff = 0;
  for (let i = 0; i < q.length; i++) {
    scale = Math.max(scale, Math.abs(q[i]));
    diff = Math.max(diff, Math.abs(p[i] - q[i]));
  }
  return diff / Math.max(scale, 1e-30);
}

/** Candidates within this factor of the best after the first round are timed again (tuning/autotune.ts closes
 *  with a second round for them), each keeping its faster round. */
export const RETIME_WITHIN = 1.5;

export async function timeCandidates(sig: ConvSignature, forms: ConvForm[], opts: TimerOptions): Promise<CandidateTiming[]> {
  const out: CandidateTiming[] = [];
  let reference: Float32Array | undefined;
  let best = Infinity;
  for (const form of forms) {
    let session: GraphSession | undefined;
    try {
      const { graph, feeds } = candidateGraph(sig, form, opts.nchwcBlock);
      session = await GraphSession.create(graph, { intraOpNumThreads: opts.threads, interOpNumThreads: 1 });
      const w0 = performance.now();
      const first = (await session.run(feeds)).out.data as Float32Array;
      const warmMs = performance.now() - w0;
      if (!reference) reference = Float32Array.from(first);
      else if (first.length !== reference.length || !(maxRelDiff(first, reference) <= 1e-3)) {
        out.push({ form, error: `output differs from ${forms[0]}'s` });
        continue;
      }
      // a warm-up run (which includes first-run allocations) already 4x slower than the best cannot win: its time
      // stands, and it is not run again (the stem's slowest candidates take seconds per run)
      if (warmMs > 4 * best) {
        out.push({ form, ms: warmMs });
        continue;
      }
      let ms = Infinity;
      for (let i = 0; i < (opts.runs ?? 3); i++) {
        const t0 = performance.now();
        await session.run(feeds);
        ms = Math.min(ms, performance.now() - t0);
        if (i >= 1 && ms > 2 * best) break;
      }
      best = Math.min(best, ms);
      out.push({ form, ms });
    } catch (e) {
      out.push({ form, error: (e as Error).message.slice(0, 300) });
    } finally {
      await session?.release();
    }
  }
  return out;
}

/** The timings to take again: those within RETIME_WITHIN of the fastest, where there are two or more. */
export function closeCalls(timings: CandidateTiming[]): CandidateTiming[] {
  const ok = timings.filter((t) => t.ms !== undefined);
  const best = Math.min(...ok.map((t) => t.ms!));
  const close = ok.filter((t) => t.ms! <= RETIME_WITHIN * best);
  return close.length > 1 ? close : [];
}
