import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataDirFlag, defaultDataDir, ensureDataDir, resolveDataDir } from '../../../../app/platform/data-dir.js';

describe('defaultDataDir', () => {
  it('uses $XDG_DATA_HOME on Linux, else ~/.local/share', () => {
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/data/x' }, '/home/u')).toBe('/data/x/voxelbase');
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.local/share/voxelbase');
    // a relative XDG_DATA_HOME is invalid per the XDG spec and ignored
    expect(defaultDataDir('linux', { XDG_DATA_HOME: 'rel' }, '/home/u')).toBe('/home/u/.local/share/voxelbase');
  });
  it('uses Application Support on macOS and %APPDATA% on Windows', () => {
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/Voxelbase');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Voxelbase',
    );
    expect(defaultDataDir('win32', {}, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Voxelbase');
  });
});

describe('resolveDataDir precedence', () => {
  const env = { VOXELBASE_HOME: '/env/home', XDG_DATA_HOME: '/xdg' };
  it('--data-dir beats VOXELBASE_HOME beats the OS default', () => {
    expect(resolveDataDir({ flag: '/flag/dir', env, platform: 'linux', home: '/h' })).toBe('/flag/dir');
    expect(resolveDataDir({ env, platform: 'linux', home: '/h' })).toBe('/env/home');
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/xdg' }, platform: 'linux', home: '/h' })).toBe('/xdg/voxelbase');
  });
  it('resolves relative overrides against the working directory', () => {
    expect(resolveDataDir({ flag: 'rel/dir', env: {} })).toBe(path.resolve('rel/dir'));
  });
  it('reads --data-dir from an argv list in both spellings', () => {
    expect(dataDirFlag(['serve', '--data-dir', '/a'])).toBe('/a');
    expect(dataDirFlag(['--data-dir=/b', 'info'])).toBe('/b');
    expect(dataDirFlag(['info'])).toBeUndefined();
  });
  it('creates the folder', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vb-dd-')), 'a', 'b');
    expect(ensureDataDir(dir)).toBe(dir);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
  });
});
