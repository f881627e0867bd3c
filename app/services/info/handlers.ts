// app:info: version, data folder, catalogue counts, platform, the execution providers that actually
// work (probed by creating a session on each; cached for the process lifetime by probeProviders), and the conv
// plans that training runs tuned on this machine (native-models autotuning, cached in the data folder).
import os from 'node:os';
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import type { InfoResult } from '../../contract/types.js';
import { catalogueCounts } from '../catalogue/counts.js';
import { tuningDir } from '../pretrain/index.js';
import { packageInfo } from './version.js';

export async function appInfo(ctx: ServiceContext): Promise<InfoResult> {
  // Loaded on first use: onnxruntime-node costs ~0.5 s of start-up to every process that imports it.
  const { probeProviders, cachedConvPlans } = await import('../../../native-models/index.js');
  const providers = await probeProviders();
  const dir = tuningDir(ctx.dataDir);
  const convPlans = cachedConvPlans(dir).map((p) => ({
    machine: p.machine,
    threads: p.threads,
    updatedAt: p.updatedAt,
    tuningMs: p.tuningMs,
    ...(p.nchwcBlock ? { nchwcBlock: p.nchwcBlock } : {}),
    choices: Object.entries(p.choices).map(([signature, c]) => ({ signature, form: c.form, times: { ...c.times } })),
  }));
  const electron = process.versions.electron;
  return {
    version: packageInfo().version,
    dataDir: ctx.dataDir,
    catalogue: catalogueCounts(ctx.db),
    providers: providers.map((p) => ({ ...p })),
    platform: {
      os: process.platform,
      arch: process.arch,
      node: process.versions.node,
      ...(electron ? { electron } : {}),
      cpus: os.availableParallelism?.() ?? os.cpus().length,
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    },
    tuningDir: dir,
    convPlans,
  };
}

export function infoHandlers(ctx: ServiceContext): DomainHandlers<'app:info'> {
  return { 'app:info': () => appInfo(ctx) };
}
