// Renderer side of the IPC transport: turns what the preload exposes (`window.voxelbase`, raw envelopes,
// because contextBridge drops an Error's name and extras) into the contract's typed Api, rebuilding
// errors by name. Browser-safe: no Node or Electron imports.
import type { Api } from '../../contract/api.js';
import type { CallEnvelope } from '../../contract/wire.js';
import { deserializeError } from '../../contract/errors.js';

/** What app/electron/preload.cts exposes as `window.voxelbase`. */
export interface PreloadBridge {
  readonly calls: readonly string[];
  readonly events: readonly string[];
  invoke(name: string, args: unknown): Promise<CallEnvelope>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export const BRIDGE_KEY = 'voxelbase';

export function createIpcApi(bridge: PreloadBridge): Api {
  return {
    async call(name, args) {
      const env = await bridge.invoke(name, args);
      if (env.ok) return env.result as never;
      throw deserializeError(env.error);
    },
    on(name, listener) {
      return bridge.on(name, listener as (p: unknown) => void);
    },
  };
}

/** The preload's bridge when running inside the desktop app, else undefined (web mode). */
export function findBridge(): PreloadBridge | undefined {
  return (globalThis as unknown as Record<string, PreloadBridge | undefined>)[BRIDGE_KEY];
}
