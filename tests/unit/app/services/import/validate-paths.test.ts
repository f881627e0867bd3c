import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateImportPaths } from '../../../../../app/services/import/validate-paths.js';

let root: string;
beforeAll(() => {
  root = path.resolve('tests/.tmp', `validate-${process.pid}-${Date.now().toString(36)}`);
  fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
  fs.mkdirSync(path.join(root, 'data'));
  fs.writeFileSync(path.join(root, 'a', 'f.dcm'), 'x');
  fs.symlinkSync('/proc/self', path.join(root, 'to-proc'));
  fs.symlinkSync(path.join(root, 'a'), path.join(root, 'link-a'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('validateImportPaths', () => {
  const data = () => path.join(root, 'data');
  it('resolves to absolute real paths and drops nested and duplicate roots', () => {
    const out = validateImportPaths([path.join(root, 'a'), path.join(root, 'a', 'b'), path.join(root, 'link-a'), path.join(root, 'a', 'f.dcm')], data());
    expect(out).toEqual([{ path: path.join(root, 'a'), isDirectory: true }]);
  });
  it('resolves relative paths against the working directory', () => {
    const rel = path.relative(process.cwd(), path.join(root, 'a', 'f.dcm'));
    expect(validateImportPaths([rel], data())[0]).toEqual({ path: path.join(root, 'a', 'f.dcm'), isDirectory: false });
  });
  it('expands ~ to the home folder, and dir and dir/ are one root', () => {
    const inHome = fs.mkdtempSync(path.join(os.homedir(), '.vb-validate-'));
    try {
      const name = path.basename(inHome);
      const out = validateImportPaths([`~/${name}`, `~/${name}/`, inHome], data());
      expect(out).toEqual([{ path: fs.realpathSync(inHome), isDirectory: true }]);
    } finally {
      fs.rmSync(inHome, { recursive: true, force: true });
    }
  });
  it('refuses missing paths, system trees (also through symlinks), devices and the data folder', () => {
    expect(() => validateImportPaths([path.join(root, 'nope')], data())).toThrow(/no such file/);
    expect(() => validateImportPaths(['/proc'], data())).toThrow(/system location/);
    expect(() => validateImportPaths([path.join(root, 'to-proc')], data())).toThrow(/system location/);
    expect(() => validateImportPaths(['/dev/null'], data())).toThrow(/system location/);
    expect(() => validateImportPaths([data()], data())).toThrow(/data folder/);
    expect(() => validateImportPaths(['a\0b'], data())).toThrow(/not a valid path/);
  });
});
