// The desktop menu's File > Import folder… reaches the Import screen (renderer/src/sections/import/menu-import.ts):
// the pushed paths are queued, the Import screen is opened, and the screen takes each path once.
import { describe, expect, it } from 'vitest';
import { MenuImports, listenForMenuImports } from '../../../../../renderer/src/sections/import/menu-import.js';

function fakeApi() {
  const listeners = new Map<string, (p: unknown) => void>();
  return {
    on: ((name: string, l: (p: unknown) => void) => {
      listeners.set(name, l);
      return () => listeners.delete(name);
    }) as never,
    push: (name: string, payload: unknown) => listeners.get(name)?.(payload),
    listeners,
  };
}

describe('menu imports', () => {
  it('queues the chosen folders, opens the Import screen, and hands each path over once', () => {
    const api = fakeApi();
    const q = new MenuImports();
    let opened = 0;
    const seen: number[] = [];
    q.subscribe(() => seen.push(1));
    const off = listenForMenuImports(api, () => opened++, q);
    api.push('import-folders-chosen', { paths: ['/data/a', '/data/b'] });
    api.push('import-folders-chosen', { paths: ['/data/b'] }); // already queued: not twice
    api.push('import-folders-chosen', { paths: [] }); // a cancelled dialog: nothing
    expect(opened).toBe(2);
    expect(seen).toHaveLength(1);
    expect(q.take()).toEqual(['/data/a', '/data/b']);
    expect(q.take()).toEqual([]);
    off();
    expect(api.listeners.size).toBe(0);
  });
});
