// app:info: what this installation is and can do (version, data folder, counts, platform, providers).

export interface ProviderStatus {
  name: string; // 'cpu' | 'cuda' | 'webgpu' | ...
  works: boolean;
  detail?: string; // why it failed, or the adapter/device it found
}

/** A conv plan tuned on this machine (native-models autotuning: the fastest formulation per conv signature and
 *  role, timed on first use of a training configuration and cached in the data folder's tuning/conv-plans.json). */
export interface ConvPlanInfo {
  /** CPU model | ISA flags | threads | onnxruntime version: the plan's cache key. */
  machine: string;
  threads: number;
  updatedAt: string;
  /** Total time spent timing candidates for this plan. */
  tuningMs: number;
  /** MLAS's NCHWc block on this CPU (8 with AVX2, 16 with AVX-512), absent where NCHWc is not used. */
  nchwcBlock?: number;
  /** Per signature ('forward x[..] w[..] s[..] p[..] d[..]', 'input-grad ...', 'weight-grad ...'): the chosen
   *  formulation and every candidate's time in ms (or why it was dropped). */
  choices: { signature: string; form: string; times: Record<string, number | string> }[];
}

export interface InfoResult {
  version: string;
  dataDir: string;
  catalogue: { patients: number; studies: number; series: number; files: number };
  providers: ProviderStatus[];
  platform: { os: string; arch: string; node: string; electron?: string; cpus: number; memoryGiB: number };
  /** The folder of tuned conv plans, and this machine's plans there (one per thread count; empty until a training
   *  run has tuned one). */
  tuningDir: string;
  convPlans: ConvPlanInfo[];
}
