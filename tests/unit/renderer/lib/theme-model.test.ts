// Theme preference parsing and resolution (renderer/src/lib/theme-model.ts).
import { describe, expect, it } from 'vitest';
import { parsePreference, resolveTheme } from '../../../../renderer/src/lib/theme-model.js';

describe('theme model', () => {
  it('accepts the three stored preferences and falls back to system', () => {
    expect(parsePreference('light')).toBe('light');
    expect(parsePreference('dark')).toBe('dark');
    expect(parsePreference('system')).toBe('system');
    expect(parsePreference(null)).toBe('system');
    expect(parsePreference('DARK')).toBe('system');
  });

  it('resolves system from the media query and keeps explicit choices', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});
