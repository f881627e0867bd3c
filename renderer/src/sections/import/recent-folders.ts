// Recently imported folders, kept in localStorage for the web mode's path field (most recent first, no
// duplicates, at most MAX_RECENT). Storage failures (private mode, quota) are ignored: recents are a convenience.

export const RECENT_KEY = 'voxelbase.import.recentFolders';
export const MAX_RECENT = 8;

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function defaultStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function loadRecentFolders(store: KeyValueStore | null = defaultStore()): string[] {
  if (!store) return [];
  try {
    const raw = store.getItem(RECENT_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

/** Put `paths` at the front of the list (in the given order) and save it; returns the new list. */
export function rememberFolders(paths: readonly string[], store: KeyValueStore | null = defaultStore()): string[] {
  const cleaned = paths.map((p) => p.trim()).filter((p) => p.length > 0);
  const next = [...cleaned, ...loadRecentFolders(store).filter((p) => !cleaned.includes(p))].slice(0, MAX_RECENT);
  return save(next, store);
}

/** Remove one folder from the list; returns the new list. */
export function forgetFolder(path: string, store: KeyValueStore | null = defaultStore()): string[] {
  return save(loadRecentFolders(store).filter((p) => p !== path), store);
}

/** Store the list (a failure is ignored: recents are optional) and return it. */
function save(folders: string[], store: KeyValueStore | null): string[] {
  try {
    store?.setItem(RECENT_KEY, JSON.stringify(folders));
  } catch {
    // quota or private mode: the list still applies for this session
  }
  return folders;
}

/** Split the path field's text into folders: one per line, or separated by ';' (paths may contain spaces). */
export function parsePathField(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n;]/)
        .map((p) => p.trim())
        .filter((p) => p.length > 0),
    ),
  ];
}
