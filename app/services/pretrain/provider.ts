// Which execution provider trains a run (DESIGN §5): the probed providers (native-models probeProviders: each one
// tried by running a tiny session in a child process) in the order CUDA, WebGPU, CPU, keeping those that work; a
// forced provider must be one that works (ProviderError naming it and the probe's reason). The trainer then
// creates its session with the first of the list that loads the training graph, and the run records that one.
import { probeProviders } from '../../../native-models/index.js';
import { ProviderError } from '../../contract/errors.js';

export const PROVIDER_ORDER = ['cuda', 'webgpu', 'cpu'] as const;

export interface ProviderChoice {
  /** Providers to try, in order (a forced one alone). */
  candidates: string[];
  probed: { name: string; works: boolean; detail?: string }[];
}

export async function chooseProviders(forced?: string): Promise<ProviderChoice> {
  const probed = (await probeProviders()).map((p) => ({ ...p }));
  const works = new Set(probed.filter((p) => p.works).map((p) => p.name));
  if (forced !== undefined) {
    const name = forced.toLowerCase();
    const p = probed.find((x) => x.name === name);
    if (!p) throw new ProviderError(`execution provider '${forced}' is unknown; probed: ${probed.map((x) => x.name).join(', ')}`);
    if (!p.works) throw new ProviderError(`execution provider '${name}' does not work on this machine: ${p.detail ?? 'its probe failed'}`);
    return { candidates: [name], probed };
  }
  const candidates = PROVIDER_ORDER.filter((n) => works.has(n)) as string[];
  if (!candidates.includes('cpu')) candidates.push('cpu');
  return { candidates, probed };
}
