// The push channel's state as a rune, for the header's connection indicator.
import { api } from './client.js';
import type { ConnectionState } from './transport.js';

class ConnectionStore {
  state = $state<ConnectionState>('connecting');
  readonly kind: 'web' | 'electron';

  constructor() {
    const transport = api();
    this.kind = transport.kind;
    this.state = transport.connection;
    transport.onConnection((s) => (this.state = s));
  }
}

let shared: ConnectionStore | null = null;

export function connectionStore(): ConnectionStore {
  shared ??= new ConnectionStore();
  return shared;
}
