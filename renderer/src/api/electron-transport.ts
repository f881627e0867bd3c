// Electron transport: the preload exposes `window.voxelbase` (names of the contract's calls and events,
// `invoke` returning {ok, result | error} envelopes, and `on`); app/transports/ipc/bridge.ts (browser-safe,
// no Node or Electron imports) turns that into the contract's Api and rebuilds errors by name. IPC has no
// connection to lose, so the state is always 'open'.
import type { Api, CallArgs, CallName, CallResult, EventName, EventPayload } from '../../../app/contract/api.js';
import { createIpcApi, type PreloadBridge } from '../../../app/transports/ipc/bridge.js';
import { toError } from './errors.js';
import type { ConnectionState, Transport } from './transport.js';

export class ElectronTransport implements Transport {
  readonly kind = 'electron' as const;
  readonly connection: ConnectionState = 'open';
  readonly #api: Api;

  constructor(bridge: PreloadBridge) {
    this.#api = createIpcApi(bridge);
  }

  async call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    try {
      return await this.#api.call(name, args);
    } catch (err) {
      throw toError(err);
    }
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.#api.on(name, listener);
  }

  onConnection(): () => void {
    return () => {};
  }
}
