// What the renderer talks to: the contract's `Api` plus the connection state of the transport underneath,
// so that views can say "reconnecting" and stores can re-fetch after a reconnect.
import type { Api } from '../../../app/contract/api.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Transport extends Api {
  /** 'web' (HTTP + WebSocket) or 'electron' (preload IPC). */
  readonly kind: 'web' | 'electron';
  /** Current state of the push-event channel. */
  readonly connection: ConnectionState;
  /** Called on every change of the push-event channel's state; returns an unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}
