// app:info: what this installation is and can do (version, data folder, counts, platform, providers).

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
