// Plain data types that cross the contract. No behaviour, no imports from services.

export interface ProviderStatus {
  name: string; // 'cpu' | 'cuda' | 'webgpu' | ...
  works: boolean;
  detail?: string; // why it failed, or the adapter/device it found
}

export interface InfoResult {
  version: string;
  dataDir: string;
  catalogue: { patients: number; studies: number; series: number; files: number };
  providers: ProviderStatus[];
  platform: { os: string; arch: string; node: string; electron?: string; cpus: number; memoryGiB: number };
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  job: string;
  kind: string; // 'import' | 'pretrain' | 'embed' | ...
  state: JobState;
  step: string; // what it is doing now, e.g. 'scan', 'parse', 'assemble'
  current: number;
  total: number; // 0 when unknown
  message?: string;
  /** Items per second over the recent window, when meaningful. */
  rate?: number;
  etaSeconds?: number;
  /** Job-specific extras (counts, losses ...); JSON-safe. */
  detail?: Record<string, unknown>;
}

export interface JobSnapshot extends JobProgress {
  startedAt: string;
  endedAt?: string;
  error?: SerializedError;
  result?: unknown;
}

export interface SerializedError {
  name: string;
  message: string;
  [extra: string]: unknown;
}
