// Electron transport: the preload exposes `window.voxelbase` (app/contract/wire.ts's PreloadBridge: the names of the
// contract's calls and events, `invoke` returning {ok, result | error} envelopes, and `on`); this turns it into the
// contract's Api and rebuilds errors by name (contextBridge would drop an Error's name and extras, hence envelopes).
// IPC has no connection to lose, so the state is always 'open'.
import type { CallArgs, CallName, CallResult, EventName, EventPayload } from '../../../app/contract/api.js';
import { deserializeError } from '../../../app/contract/errors.js';
import type { PreloadBridge } from '../../../app/contract/wire.js';
import { toError } from './errors.js';
import type { ConnectionState, Transport } from './transport.js';

export class ElectronTransport implements Transport {
  readonly kind = 'electron' as const;
  readonly connection: ConnectionState = 'open';
  readonly #bridge: PreloadBridge;

  constructor(bridge: PreloadBridge) {
    this.#bridge = bridge;
  }

  async call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    let env;
    try {
      env = await this.#bridge.invoke(name, args);
    } catch (err) {
      throw toError(err);
    }
    if (env.ok) return env.result as CallResult<N>;
    throw deserializeError(env.error);
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.#bridge.on(name, listener as (payload: unknown) => void);
  }

  onConnection(): () => void {
    return () => {};
  }
}
