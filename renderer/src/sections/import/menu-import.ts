// The desktop menu's File > Import folder… : Electron main shows the native folder dialog and pushes
// `import-folders-chosen` with the chosen paths. The shell listens once (listenForMenuImports); the paths wait here
// until the Import screen takes them and starts the import, so a choice made from any screen is never lost.
import type { Api } from '../../../../app/contract/api.js';

export class MenuImports {
  #pending: string[] = [];
  readonly #listeners = new Set<() => void>();

  add(paths: readonly string[]): void {
    const fresh = paths.filter((p) => !this.#pending.includes(p));
    if (!fresh.length) return;
    this.#pending.push(...fresh);
    for (const l of [...this.#listeners]) l();
  }

  /** The paths chosen from the menu and not yet imported (emptied by the call). */
  take(): string[] {
    const p = this.#pending;
    this.#pending = [];
    return p;
  }

  /** Called whenever paths arrive; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export const menuImports = new MenuImports();

/** Subscribes to the menu's choices: queues the paths in `into`, then opens the Import screen. */
export function listenForMenuImports(api: Pick<Api, 'on'>, open: () => void, into: MenuImports = menuImports): () => void {
  return api.on('import-folders-chosen', ({ paths }) => {
    if (!paths.length) return;
    into.add(paths);
    open();
  });
}
