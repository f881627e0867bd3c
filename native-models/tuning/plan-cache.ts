// The cache of tuned conv plans: one JSON file (`conv-plans.json` in the given directory, e.g. the app's data
// folder) holding a plan per machine key (runtime/machine.ts machineKey: CPU model, ISA flags, threads, onnxruntime
// version). A plan maps signature keys (ops/conv-plan.ts signatureKey) to the chosen formulation and the times of
// every candidate, and records how long tuning took. Written whole or not at all (temp file, fsync, rename); a
// missing, unreadable or foreign file reads as empty (the plan is then tuned again).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ConvForm } from '../ops/conv-plan.js';

export const PLAN_FILE = 'conv-plans.json';
/** Raised when a formulation's implementation changes its speed, so that cached times no longer describe it and
 *  plans are tuned again (2: the selection-matrix im2col of ops/im2col.ts, the Gemm weight flip of conv-grad.ts,
 *  weight gradients timed at their batch; 3: 'subpixel' as one Conv per phase with only its live taps; 4: its phase
 *  convs as batched Gemms / MatMuls on small volumes; 5: 'nchwc-nc' with the channels interleaved into W). */
export const PLAN_FILE_VERSION = 5;

export interface TunedChoice {
  form: ConvForm;
  /** Per candidate: its fastest time in ms, or why it was dropped. */
  times: Record<string, number | string>;
}

export interface MachinePlan {
  machine: string;
  cpuModel: string;
  isaFlags: string[];
  threads: number;
  ortVersion: string;
  nchwcBlock?: number;
  /** When the plan was last extended. */
  updatedAt: string;
  /** Total time spent timing candidates for this plan, in ms. */
  tuningMs: number;
  choices: Record<string, TunedChoice>;
}

interface PlanFile {
  version: number;
  plans: Record<string, MachinePlan>;
}

export function readPlans(dir: string): Record<string, MachinePlan> {
  try {
    const f = JSON.parse(readFileSync(join(dir, PLAN_FILE), 'utf8')) as PlanFile;
    return f && f.version === PLAN_FILE_VERSION && typeof f.plans === 'object' && f.plans ? f.plans : {};
  } catch {
    return {};
  }
}

/** Store `plan` under its machine key, keeping the other machines' plans. */
export function writePlan(dir: string, plan: MachinePlan): void {
  mkdirSync(dir, { recursive: true });
  const plans = { ...readPlans(dir), [plan.machine]: plan };
  const file = join(dir, PLAN_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify({ version: PLAN_FILE_VERSION, plans } satisfies PlanFile, null, 1));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
