// Reactive `app:info`: version, data folder, catalogue counts and execution providers. Loaded once,
// refreshed on demand, whenever a job finishes (an import changes the counts) and after a reconnect
// (the server may have restarted, on another data folder).
import type { InfoResult } from '../../../app/contract/types.js';
import { api } from './client.js';
import { jobsStore } from './jobs.svelte.js';
import type { Transport } from './transport.js';

export class InfoStore {
  info = $state<InfoResult | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      this.info = await this.#transport.call('app:info', {});
      this.error = null;
    } catch (err) {
      this.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    } finally {
      this.loading = false;
    }
  }
}

let shared: InfoStore | null = null;

export function infoStore(): InfoStore {
  if (!shared) {
    const store = new InfoStore(api());
    shared = store;
    void store.refresh();
    jobsStore().onFinish(() => void store.refresh());
    let dropped = false;
    api().onConnection((state) => {
      if (state === 'closed') dropped = true;
      else if (state === 'open' && dropped) {
        dropped = false;
        void store.refresh();
      }
    });
  }
  return shared;
}
