// Recent folders of the Import screen (renderer/src/sections/import/recent-folders.ts).
import { describe, expect, it } from 'vitest';
import {
  MAX_RECENT,
  RECENT_KEY,
  forgetFolder,
  loadRecentFolders,
  parsePathField,
  rememberFolders,
} from '../../../../../renderer/src/sections/import/recent-folders.js';

function memoryStore(initial: Record<string, string> = {}) {
  const data = { ...initial };
  return { getItem: (k: string) => data[k] ?? null, setItem: (k: string, v: string) => void (data[k] = v), data };
}

describe('recent folders', () => {
  it('puts new folders first, without duplicates, capped', () => {
    const store = memoryStore();
    rememberFolders(['/a', '/b'], store);
    expect(rememberFolders(['/c', '/a'], store)).toEqual(['/c', '/a', '/b']);
    for (let i = 0; i < 20; i++) rememberFolders([`/x${i}`], store);
    expect(loadRecentFolders(store)).toHaveLength(MAX_RECENT);
    expect(loadRecentFolders(store)[0]).toBe('/x19');
    expect(forgetFolder('/x19', store)[0]).toBe('/x18');
  });

  it('survives corrupt storage and a store that throws', () => {
    expect(loadRecentFolders(memoryStore({ [RECENT_KEY]: '{not json' }))).toEqual([]);
    expect(loadRecentFolders(memoryStore({ [RECENT_KEY]: '[1, "/ok", null]' }))).toEqual(['/ok']);
    const throwing = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(rememberFolders(['/a'], throwing)).toEqual(['/a']);
    expect(loadRecentFolders(null)).toEqual([]);
  });
});

describe('parsePathField', () => {
  it('splits on newlines and semicolons, keeps spaces inside paths', () => {
    expect(parsePathField(' /data/My Studies ; /scans\n/scans\n\n')).toEqual(['/data/My Studies', '/scans']);
    expect(parsePathField('   ')).toEqual([]);
  });
});
