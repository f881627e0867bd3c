// Theme state: the user's preference, kept in localStorage, applied as <html data-theme="light|dark">
// (theme.css holds the colours). 'system' follows prefers-color-scheme live.
import {
  parsePreference,
  resolveTheme,
  THEME_STORAGE_KEY,
  type Theme,
  type ThemePreference,
} from './theme-model.js';

class ThemeStore {
  preference = $state<ThemePreference>('system');
  systemDark = $state(false);
  readonly theme: Theme = $derived(resolveTheme(this.preference, this.systemDark));

  constructor() {
    this.preference = parsePreference(readStored());
    const query = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    if (query) {
      this.systemDark = query.matches;
      query.addEventListener('change', (e) => {
        this.systemDark = e.matches;
        this.apply();
      });
    }
    this.apply();
  }

  set(preference: ThemePreference): void {
    this.preference = preference;
    try {
      localStorage.setItem(THEME_STORAGE_KEY, preference);
    } catch {
      // Storage may be unavailable (private mode, file:// quirks); the choice still applies for this session.
    }
    this.apply();
  }

  apply(): void {
    const root = document.documentElement;
    root.dataset.theme = resolveTheme(this.preference, this.systemDark);
    root.dataset.themePreference = this.preference;
  }
}

function readStored(): string | null {
  try {
    return localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    return null;
  }
}

let shared: ThemeStore | null = null;

export function themeStore(): ThemeStore {
  shared ??= new ThemeStore();
  return shared;
}
