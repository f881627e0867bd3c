// Which formulation computes each convolution, per role (forward, input gradient, weight gradient) and signature
// (input and weight shapes, strides, pads, dilations): the vocabulary the autotuner (tuning/) times and the
// builder consults. A ConvPlanner set on the GraphBuilder (`g.convPlanner`) answers per conv; forced options
// (GradOptions.conv / ConvOptions) win over it; without either, the DEFAULT rules below apply. They are the
// documented default plan (what `tuning: 'default'` gives, measured on AMD Zen 2 and Intel Sapphire Rapids with
// bench/conv-grad.ts): forward: one batched Gemm for small-volume deep convs (ops/conv-batched-gemm.ts), else
// ORT's Conv; input gradient: ConvTranspose when the weight outweighs dx, else sub-pixel when strided and the
// flipped Conv at stride 1; weight gradient: identity-kernel im2col + MatMul up to 3^3 kernels, conv-nc above.
// NCHWc (ops/conv-nchwc.ts, ops/conv-nchwc-nc.ts) and depth taps as channels of one 2-D conv (ops/conv-depth2d.ts, constant weights
// or few stacked channels) are never defaults: only a plan that measured them faster on the machine uses them.
import type { Value } from '../ir/graph.js';
import type { Resolved } from './conv-attrs.js';
import { convOut } from './conv-attrs.js';

export type ConvRole = 'forward' | 'input-grad' | 'weight-grad';
export type ConvForward = 'conv' | 'batched-gemm' | 'im2col-matmul' | 'nchwc' | 'depth-2d';
export type ConvInputGradForm = 'conv-flipped' | 'flipped-gemm' | 'flipped-matmul' | 'conv-transpose' | 'subpixel' | 'nchwc' | 'gemm-col2im';
export type ConvWeightGradForm = 'im2col-gemm' | 'im2col-conv' | 'conv-nc' | 'nchwc-nc';
export type ConvForm = ConvForward | ConvInputGradForm | ConvWeightGradForm;

/** The static facts a formulation's speed depends on. */
export interface ConvSignature {
  role: ConvRole;
  x: number[];
  w: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
  /** The weight is a constant (an initializer of an inference graph, which ORT may re-lay out at load). */
  constWeight?: boolean;
}

/** Chooses formulations; `choose` returns undefined to take the default rule. */
export interface ConvPlanner {
  choose(sig: ConvSignature, key: string): ConvForm | undefined;
  /** What each candidate measured for a signature (ms), where the plan was tuned: lets a graph that saves re-layouts
   *  around a formulation take it when it measured close to the fastest alone (models/blocked-stem.ts). */
  times?(key: string): Readonly<Record<string, number | string>> | undefined;
  /** NCHWc block size of the machine the graph will run on (8 AVX2, 16 AVX-512); undefined: no NCHWc (not an
   *  x86 CPU with AVX2, or the graph targets another provider such as CUDA, whose kernel list has no NCHWc ops). */
  nchwcBlock?: number;
}

/** Batched Gemm thresholds (ops/conv-batched-gemm.ts): largest output volume per sample, smallest C*K, and the
 *  largest kernel volume (network layers only: the formulations' own Convs, conv-nc's dy-as-kernel Conv and the
 *  lowering's identity-kernel im2col, have larger kernels and must not be lowered again, which recursed). */
export const BATCHED_GEMM_MAX_Z = 64;
export const BATCHED_GEMM_MIN_CK = 512;
export const BATCHED_GEMM_MAX_KVOL = 27;

const prod = (a: number[]): number => a.reduce((p, q) => p * q, 1);
export const isStaticShape = (v: Value): boolean => v.shape.every((d) => typeof d === 'number');

/** Batch a plan assumes for a graph whose batch dimension is symbolic (an encoder that embeds any number of
 *  series): its convs are planned and tuned as at this batch. */
export const NOMINAL_BATCH = 4;

/**
 * The signature of a conv, or undefined when a shape is not static (then only the default rules apply). With
 * `nominalBatch`, a symbolic batch dimension alone counts as that batch.
 */
export function convSignature(role: ConvRole, x: Value, w: Value, a: Resolved, nominalBatch?: number): ConvSignature | undefined {
  const xs = nominalBatch !== undefined && typeof x.shape[0] !== 'number' ? [nominalBatch, ...x.shape.slice(1)] : x.shape;
  if (!xs.every((d) => typeof d === 'number') || !isStaticShape(w)) return undefined;
  const sig: ConvSignature = { role, x: xs as number[], w: w.shape as number[], strides: a.s, pads: [...a.pb, ...a.pe], dilations: a.d };
  if (role === 'forward' && w.constValue) sig.constWeight = true;
  return sig;
}

export function signatureKey(s: ConvSignature): string {
  return `${s.role} x[${s.x}] w[${s.w}] s[${s.strides}] p[${s.pads}] d[${s.dilations}]${s.constWeight ? ' const-w' : ''}`;
}

function outVolume(s: ConvSignature, a: Resolved): number {
  return prod(s.x.slice(2).map((d, i) => convOut(d, i, a) as number));
}

/** Where the batched-Gemm lowering applies at all (float32, static, batch >= 2, small output, network kernel). */
export function batchedGemmApplies(s: ConvSignature, a: Resolved, group: number): boolean {
  const kvol = prod(a.k);
  return group === 1 && s.x[0] >= 2 && outVolume(s, a) <= BATCHED_GEMM_MAX_Z && s.w[1] * kvol >= BATCHED_GEMM_MIN_CK && kvol <= BATCHED_GEMM_MAX_KVOL;
}

/** Where the NCHWc depth-tap form applies (ops/conv-nchwc.ts): 3-D, group 1, no dilation, channels in blocks. */
export function nchwcApplies(s: ConvSignature, group: number, block: number | undefined): boolean {
  if (!block || s.x.length !== 5 || group !== 1 || s.dilations.some((d) => d !== 1)) return false;
  return s.x[1] % block === 0 && s.w[0] % block === 0 && s.w[1] === s.x[1];
}

/** Where the weight gradient can run on NCHWc depth taps (ops/conv-nchwc-nc.ts): 3-D, group 1, no dilation, a
 *  static batch, the (sample, output depth) pairs and the output channels in blocks. */
export function nchwcNcApplies(s: ConvSignature, a: Resolved, block: number | undefined): boolean {
  if (!block || s.x.length !== 5 || a.group !== 1 || s.dilations.some((d) => d !== 1)) return false;
  const dOut = convOut(s.x[2], 0, a) as number;
  return (s.x[0] * dOut) % block === 0 && s.w[0] % block === 0;
}

/** Where the input gradient of a stride-1 conv can be its flipped-weight conv as one batched Gemm (the forward
 *  lowering's thresholds applied to that conv: dy [N, O, Z] convolved with [C, O, k] back to x's volume). */
export function flippedGemmApplies(s: ConvSignature, a: Resolved): boolean {
  const kvol = prod(a.k);
  return s.x[0] >= 2 && prod(s.x.slice(2)) <= BATCHED_GEMM_MAX_Z && s.w[0] * kvol >= BATCHED_GEMM_MIN_CK && kvol <= BATCHED_GEMM_MAX_KVOL;
}

/** Largest input volume (voxels) of the Gemm + col2im input gradient (ops/conv-col2im.ts): its selection matrix is
 *  Zi x K*Zo, and its MatMul 2*Zi*K*Zo*N*C flops (at 4^3, layer3 of ResNet-18, it already ties the flipped forms). */
export const COL2IM_MAX_ZI = 64;

/** Where the input gradient can be one Gemm over the output channels and a col2im (ops/conv-col2im.ts): group 1, a
 *  small static input volume. */
export function col2imApplies(s: ConvSignature, a: Resolved): boolean {
  return a.group === 1 && prod(s.x.slice(2)) <= COL2IM_MAX_ZI;
}

/** Where the depth-taps-as-channels form can run (ops/conv-depth2d.ts): 3-D, group 1, no dilation. The planner
 *  offers it (candidateForms) where it runs on NCHWc kernels: a constant weight (ORT's transformer), or a fed one
 *  with fewer stacked channels than the block (the stem; depth2dNchwcApplies). */
export function depth2dApplies(s: ConvSignature, group: number): boolean {
  return s.x.length === 5 && group === 1 && s.dilations.every((d) => d === 1);
}

/** Where depth-2d runs a fed weight on NCHWc (MLAS's NCHW-input kernel): fewer stacked channels (C * kd) than the
 *  block, whole output-channel blocks. */
export function depth2dNchwcApplies(c: number, kd: number, o: number, block: number | undefined): boolean {
  return !!block && c * kd < block && o % block === 0;
}

/** The default rule (the documented default plan) for a signature. */
export function defaultForm(s: ConvSignature, a: Resolved, dxElems?: number): ConvForm {
  if (s.role === 'forward') return batchedGemmApplies(s, a, a.group) ? 'batched-gemm' : 'conv';
  if (s.role === 'weight-grad') return prod(a.k) <= 27 ? 'im2col-conv' : 'conv-nc';
  const strided = a.s.some((v) => v !== 1);
  return prod(s.w) > (dxElems ?? prod(s.x)) ? 'conv-transpose' : strided ? 'subpixel' : 'conv-flipped';
}

/** Every formulation that applies to a signature (what the autotuner times). */
export function candidateForms(s: ConvSignature, a: Resolved, block: number | undefined): ConvForm[] {
  const strided = a.s.some((v) => v !== 1);
  const dilated = a.d.some((v) => v !== 1);
  if (s.role === 'forward') {
    const out: ConvForm[] = ['conv'];
    if (batchedGemmApplies(s, a, a.group)) out.push('batched-gemm', 'im2col-matmul');
    if (nchwcApplies(s, a.group, block)) out.push('nchwc');
    if (depth2dApplies(s, a.group) && (s.constWeight || depth2dNchwcApplies(s.x[1], s.w[2], s.w[0], block))) out.push('depth-2d');
    return out;
  }
  if (s.role === 'weight-grad') {
    if (a.group !== 1) return [];
    // im2col columns are kvol times the output: beyond 3^3 kernels (the 7^3 stem: 720 MB at 16 x 64^3) they are
    // neither competitive nor affordable to time at the real batch; the Slice/Concat columns of im2col-gemm win
    // only for 1^3 kernels (3^3 at 16 x 16^3: 279 ms against 37 for im2col-conv, with 0.9 GB of slices and columns)
    const kvol = prod(a.k);
    const out: ConvForm[] = kvol === 1 ? ['im2col-conv', 'im2col-gemm', 'conv-nc'] : kvol <= BATCHED_GEMM_MAX_KVOL ? ['im2col-conv', 'conv-nc'] : ['conv-nc'];
    if (nchwcNcApplies(s, a, block)) out.push('nchwc-nc');
    return out;
  }
  const out: ConvForm[] = ['conv-flipped', 'conv-transpose'];
  if (strided && a.group === 1 && !dilated) out.push('subpixel');
  // the input gradient is a stride-1 conv of dy ([N, O, ...]) with flipped weights [C, O, k]: blocks of O and C;
  // on small volumes that conv can be one batched Gemm
  const flipped: ConvSignature = { ...s, x: [s.x[0], s.w[0], ...s.x.slice(2)], w: [s.w[1], s.w[0], ...s.w.slice(2)] };
  if (!strided && !dilated && a.group === 1 && flippedGemmApplies(s, a)) out.push('flipped-gemm', 'flipped-matmul');
  if (!strided && nchwcApplies(flipped, a.group, block)) out.push('nchwc');
  if (col2imApplies(s, a)) out.push('gemm-col2im');
  return out;
}
