// Per-step schedules of BYOL pretraining (J.-B. Grill et al., "Bootstrap your own latent", NeurIPS 2020, §3.2 and
// appendix C; DeepMind's byol/utils/schedules.py):
//   learning rate: linear warm-up from 0 over W steps, then cosine decay to 0 over the remaining K - W steps
//     lr_k = base (k + 1) / W                                  for k < W
//     lr_k = base (1 + cos(pi (k - W) / (K - W))) / 2           for k >= W
//   target EMA: tau_k = 1 - (1 - tau_base)(cos(pi k / K) + 1) / 2   (tau_0 = tau_base, tau_K = 1)
// k is the 0-based index of the step being taken, K the run's total steps.

export function learningRateAt(k: number, total: number, base: number, warmup: number): number {
  if (warmup > 0 && k < warmup) return (base * (k + 1)) / warmup;
  const span = Math.max(1, total - warmup);
  const t = Math.min(1, Math.max(0, (k - warmup) / span));
  return (base * (1 + Math.cos(Math.PI * t))) / 2;
}

export function tauAt(k: number, total: number, tauBase: number): number {
  const t = Math.min(1, Math.max(0, k / Math.max(1, total)));
  return 1 - ((1 - tauBase) * (Math.cos(Math.PI * t) + 1)) / 2;
}

/** Runs shorter than this many steps use tau_base 0.99 instead of 0.996: BYOL's appendix uses 0.99 for its shorter
 *  (300-epoch) runs, and a target that moves at 0.996 barely leaves its random start in a few thousand steps. */
export const SHORT_RUN_STEPS = 20_000;

export function defaultTauBase(steps: number): number {
  return steps < SHORT_RUN_STEPS ? 0.99 : 0.996;
}
