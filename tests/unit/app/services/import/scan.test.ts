import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { scanRoots } from '../../../../../app/services/import/scan.js';

let root: string;
beforeAll(() => {
  root = path.resolve('tests/.tmp', `scan-${process.pid}-${Date.now().toString(36)}`);
  fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
  fs.mkdirSync(path.join(root, '.git'));
  fs.mkdirSync(path.join(root, '__MACOSX'));
  fs.mkdirSync(path.join(root, 'excluded'));
  fs.writeFileSync(path.join(root, 'a', 'one'), '1');
  fs.writeFileSync(path.join(root, 'a', 'b', 'two'), '22');
  fs.writeFileSync(path.join(root, '.DS_Store'), 'x');
  fs.writeFileSync(path.join(root, '.git', 'obj'), 'x');
  fs.writeFileSync(path.join(root, '__MACOSX', 'junk'), 'x');
  fs.writeFileSync(path.join(root, 'excluded', 'x'), 'x');
  fs.symlinkSync(root, path.join(root, 'a', 'b', 'loop'));
  fs.symlinkSync(path.join(root, 'a', 'one'), path.join(root, 'alias'));
  fs.symlinkSync(path.join(root, 'missing-target'), path.join(root, 'dangling'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('scanRoots', () => {
  it('lists visible regular files once by real path, ending symlink loops', async () => {
    const { files, problems } = await scanRoots([{ path: root, isDirectory: true }], { exclude: [path.join(root, 'excluded')] });
    expect(files.map((f) => path.relative(root, f.path)).sort()).toEqual(['a/b/two', 'a/one']);
    expect(files.find((f) => f.path.endsWith('two'))?.size).toBe(2);
    expect(problems).toEqual([]);
  });
  it('takes a single file root as is', async () => {
    const { files } = await scanRoots([{ path: path.join(root, 'a', 'one'), isDirectory: false }]);
    expect(files).toHaveLength(1);
  });
});
