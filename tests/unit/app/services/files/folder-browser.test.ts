// The web mode's folder browser (fs:*), on real folders: a fake home with studies, a folder outside it, and
// symlinks from inside the home to /etc, /proc and that outside folder. Roots are the home folder, the
// folders added and the folders imported before; nothing outside them is listed or completed, whatever
// symlink leads there; `~` is expanded, `dir` and `dir/` are one path; each added path is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type Services } from '../../../../../app/services/index.js';
import { fsHandlers } from '../../../../../app/services/files/index.js';
import { expandHome, isInside, normaliseInput } from '../../../../../app/services/files/path-rules.js';

let tmp: string;
let home: string;
let outside: string;
let services: Services;
let imported: string[];
/** The handlers, answering synchronously (they do: plain file-system calls). */
let fsApi: { [K in keyof ReturnType<typeof fsHandlers>]: (a: Parameters<ReturnType<typeof fsHandlers>[K]>[0]) => Awaited<ReturnType<ReturnType<typeof fsHandlers>[K]>> };

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vb-fs-')));
  home = path.join(tmp, 'home');
  outside = path.join(tmp, 'elsewhere');
  for (const d of ['studies/mr 2', 'studies/mr 10', 'studies/CT', 'studies/.cache', 'Documents']) fs.mkdirSync(path.join(home, d), { recursive: true });
  fs.writeFileSync(path.join(home, 'studies', 'scan.nii'), Buffer.alloc(352));
  fs.writeFileSync(path.join(home, 'studies', '.hidden.dcm'), 'x');
  fs.mkdirSync(path.join(outside, 'secret'), { recursive: true });
  fs.symlinkSync('/etc', path.join(home, 'etc-link'));
  fs.symlinkSync('/proc', path.join(home, 'proc-link'));
  fs.symlinkSync(outside, path.join(home, 'studies', 'outside-link'));
  fs.symlinkSync(path.join(home, 'studies', 'CT'), path.join(home, 'ct-link'));
  fs.symlinkSync(path.join(tmp, 'nowhere'), path.join(home, 'broken-link'));
  services = createServices({ dataDir: path.join(tmp, 'data'), startBackgroundWork: false });
  imported = [];
  fsApi = fsHandlers(services.context, { home, importedRoots: () => imported }) as unknown as typeof fsApi;
});

afterAll(async () => {
  await services.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const list = (p: string, showHidden = false) => fsApi['fs:list']({ path: p, showHidden, limit: 2000 });

describe('path rules', () => {
  it('expands ~ and takes relative paths from the home folder; dir and dir/ are one path', () => {
    expect(expandHome('~', '/h')).toBe('/h');
    expect(expandHome('~/a/b', '/h')).toBe('/h/a/b');
    expect(expandHome('~root/x', '/h')).toBe('~root/x');
    expect(normaliseInput('~/studies/', '/h')).toBe('/h/studies');
    expect(normaliseInput('studies', '/h')).toBe('/h/studies');
    expect(normaliseInput('/a/b/../c/', '/h')).toBe('/a/c');
    expect(isInside('/a/b', '/a')).toBe(true);
    expect(isInside('/ab', '/a')).toBe(false);
  });
});

describe('fs:roots, fs:addRoot, fs:removeRoot', () => {
  it('starts with the home folder only', () => {
    expect(fsApi['fs:roots']({})).toEqual([{ path: home, label: 'Home', kind: 'home' }]);
  });

  it('adds a checked folder (once, as its real path) and removes it', () => {
    const roots = fsApi['fs:addRoot']({ path: `${outside}/` });
    expect(roots.map((r) => [r.path, r.kind])).toEqual([
      [home, 'home'],
      [outside, 'added'],
    ]);
    expect(fsApi['fs:addRoot']({ path: outside })).toHaveLength(2);
    expect(fsApi['fs:removeRoot']({ path: outside })).toHaveLength(1);
    expect(() => fsApi['fs:removeRoot']({ path: outside })).toThrow(/not a folder added/);
  });

  it('refuses to add what is missing, a file, a system location or the whole file system', () => {
    expect(() => fsApi['fs:addRoot']({ path: path.join(tmp, 'missing') })).toThrow(expect.objectContaining({ name: 'FsPathError', message: expect.stringMatching(/no such file or directory/) }));
    expect(() => fsApi['fs:addRoot']({ path: path.join(home, 'studies', 'scan.nii') })).toThrow(/not a folder/);
    expect(() => fsApi['fs:addRoot']({ path: '/proc/self' })).toThrow(/system location/);
    expect(() => fsApi['fs:addRoot']({ path: '~/proc-link' })).toThrow(/\/proc is a system location/);
    expect(() => fsApi['fs:addRoot']({ path: '/' })).toThrow(/whole file system/);
  });

  it('offers the folders imported before, and each folder once', () => {
    imported = [path.join(outside, 'secret'), home, path.join(tmp, 'gone')];
    const roots = fsApi['fs:roots']({});
    expect(roots.map((r) => [r.path, r.kind])).toEqual([
      [home, 'home'],
      [path.join(outside, 'secret'), 'imported'],
    ]);
    imported = [];
  });
});

describe('fs:list', () => {
  it('lists a folder: folders first in natural order, then files; hidden entries counted, not shown', () => {
    const l = list('~/studies/');
    expect(l.path).toBe(path.join(home, 'studies'));
    expect(l.root).toBe(home);
    expect(l.parent).toBe(home);
    expect(l.entries.map((e) => `${e.kind}:${e.name}`)).toEqual(['dir:CT', 'dir:mr 2', 'dir:mr 10', 'dir:outside-link', 'file:scan.nii']);
    expect(l.hidden).toBe(2);
    expect(l.entries.find((e) => e.name === 'scan.nii')?.size).toBe(352);
    expect(list('~/studies', true).entries.map((e) => e.name)).toContain('.cache');
  });

  it('stops at a root: the home folder has no parent', () => {
    expect(list('~').parent).toBeNull();
  });

  it('marks links that lead outside the roots, to system locations or nowhere as not browsable', () => {
    const l = list(home);
    const byName = new Map(l.entries.map((e) => [e.name, e]));
    expect(byName.get('etc-link')).toMatchObject({ kind: 'dir', browsable: false, why: expect.stringMatching(/outside the folders/) });
    expect(byName.get('proc-link')).toMatchObject({ browsable: false, why: expect.stringMatching(/system location/) });
    expect(byName.get('broken-link')).toMatchObject({ browsable: false, why: 'a broken link' });
    expect(byName.get('ct-link')).toMatchObject({ kind: 'dir', browsable: true });
    expect(list('~/studies').entries.find((e) => e.name === 'outside-link')?.browsable).toBe(false);
  });

  it('refuses paths outside its roots, symlinks resolved first', () => {
    const refused = (p: string, why: RegExp) => expect(() => list(p)).toThrow(expect.objectContaining({ name: 'FsPathError', message: expect.stringMatching(why) }));
    refused('/etc', /outside the folders this browser may show/);
    refused(outside, /outside the folders/);
    refused('~/etc-link', /outside the folders this browser may show \(it resolves to \/etc\)/);
    refused('~/studies/outside-link/secret', /outside the folders/);
    refused('/proc', /system location/);
    refused('~/proc-link', /system location/);
    refused('~/../elsewhere', /outside the folders/);
    refused('~/studies/scan.nii', /not a folder/);
    refused('~/nope', /no such file or directory/);
    // once added, the outside folder is browsable
    fsApi['fs:addRoot']({ path: outside });
    expect(list('~/studies/outside-link').entries.map((e) => e.name)).toEqual(['secret']);
    fsApi['fs:removeRoot']({ path: outside });
  });

  it("refuses the app's own data folder", () => {
    fsApi['fs:addRoot']({ path: tmp });
    expect(() => list(path.join(tmp, 'data'))).toThrow(/data folder/);
    fsApi['fs:removeRoot']({ path: tmp });
  });
});

describe('fs:complete', () => {
  const names = (text: string) => fsApi['fs:complete']({ text, limit: 20 }).entries.map((e) => e.name);

  it('completes the last part typed, folders first, case-sensitive matches before the others', () => {
    expect(names('~/stu')).toEqual(['studies']);
    expect(names('~/studies/m')).toEqual(['mr 2', 'mr 10']);
    expect(names('~/studies/c')).toEqual(['CT']);
    expect(names('~/studies/')).toEqual(['CT', 'mr 2', 'mr 10', 'outside-link', 'scan.nii']);
    expect(names('~/studies/.')).toEqual(['.cache', '.hidden.dcm']);
  });

  it('keeps the path as typed and expands ~', () => {
    const c = fsApi['fs:complete']({ text: '~/stu', limit: 20 });
    expect(c.expanded).toBe(path.join(home, 'stu'));
    expect(c.entries[0].path).toBe(path.join(home, 'studies'));
  });

  it('completes nothing outside the roots', () => {
    expect(names('/et')).toEqual([]);
    expect(names('/etc/')).toEqual([]);
    expect(names('~/etc-link/')).toEqual([]);
    expect(names('/proc/')).toEqual([]);
    expect(names(`${outside}/`)).toEqual([]);
  });
});

describe('fs:check', () => {
  it('normalises what is added: ~, dir/ and dir give one real path', () => {
    const a = fsApi['fs:check']({ path: '~/studies/' });
    const b = fsApi['fs:check']({ path: path.join(home, 'studies') });
    const c = fsApi['fs:check']({ path: '~/ct-link' });
    expect(a.path).toBe(path.join(home, 'studies'));
    expect(b.path).toBe(a.path);
    expect(c).toMatchObject({ path: path.join(home, 'studies', 'CT'), kind: 'dir', insideRoots: true });
    expect(fsApi['fs:check']({ path: outside })).toMatchObject({ path: outside, insideRoots: false });
  });

  it('refuses what cannot be imported, naming the path', () => {
    expect(() => fsApi['fs:check']({ path: '~/nope' })).toThrow(/"~\/nope": no such file or directory/);
    expect(() => fsApi['fs:check']({ path: '/dev/null' })).toThrow(/system location/);
    expect(() => fsApi['fs:check']({ path: path.join(tmp, 'data') })).toThrow(/data folder/);
  });
});
