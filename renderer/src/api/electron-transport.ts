// Electron transport: the preload exposes `window.voxelbase = {call, on}` (contextIsolation keeps the rest of
// Node and Electron out of the page). Rejections arrive as {name, message, ...} and are rebuilt as Errors.
// IPC has no connection to lose, so the state is always 'open'.
import type { Api, CallArgs, CallName, CallResult, EventName, EventPayload } from '../../../app/contract/api.js';
import { toError } from './errors.js';
import type { ConnectionState, Transport } from './transport.js';

export class ElectronTransport implements Transport {
  readonly kind = 'electron' as const;
  readonly connection: ConnectionState = 'open';
  readonly #bridge: Api;

  constructor(bridge: Api) {
    this.#bridge = bridge;
  }

  async call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    try {
      return await this.#bridge.call(name, args);
    } catch (err) {
      throw toError(err);
    }
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.#bridge.on(name, listener);
  }

  onConnection(): () => void {
    return () => {};
  }
}
