// StagedFolder: nothing appears at the target until commit; abort and failures leave no trace; occupied targets
// are refused; an empty target folder is taken over; partial folders of dead processes are cleaned up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { StagedFolder } from '../../../../../app/services/export/staged-folder.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-staged-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('StagedFolder', () => {
  it('writes into a hidden partial folder and renames it whole', async () => {
    const target = path.join(root, 'a');
    const f = await StagedFolder.create(target);
    const w = await f.write('one.bin', [Buffer.from('hello '), Buffer.from('world')]);
    expect(w).toEqual({ name: 'one.bin', bytes: 11, sha256: createHash('sha256').update('hello world').digest('hex') });
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(root).filter((n) => n.startsWith('.a.partial-'))).toHaveLength(1);
    expect(await f.commit()).toBe(target);
    expect(fs.readFileSync(path.join(target, 'one.bin'), 'utf8')).toBe('hello world');
    expect(fs.readdirSync(root).filter((n) => n.startsWith('.a.partial-'))).toEqual([]);
    await expect(f.write('late.bin', Buffer.from('x'))).rejects.toThrow(/already complete/);
  });

  it('abort leaves nothing', async () => {
    const target = path.join(root, 'b');
    const f = await StagedFolder.create(target);
    await f.write('x.bin', Buffer.alloc(10));
    await f.abort();
    expect(fs.readdirSync(root).filter((n) => n.includes('b'))).toEqual([]);
  });

  it('refuses a non-empty target, a file, a missing parent and bad names; takes over an empty folder', async () => {
    const full = path.join(root, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep'), 'x');
    await expect(StagedFolder.create(full)).rejects.toThrow(/already exists and is not empty/);
    fs.writeFileSync(path.join(root, 'file'), 'x');
    await expect(StagedFolder.create(path.join(root, 'file'))).rejects.toThrow(/a file/);
    await expect(StagedFolder.create(path.join(root, 'no', 'such'))).rejects.toThrow(/parent folder .* does not exist/);
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    const f = await StagedFolder.create(empty);
    await expect(f.write('../escape', Buffer.from('x'))).rejects.toThrow(/bad export file name/);
    await expect(f.write('.hidden', Buffer.from('x'))).rejects.toThrow(/bad export file name/);
    await f.write('ok.txt', Buffer.from('ok'));
    await f.commit();
    expect(fs.readdirSync(empty)).toEqual(['ok.txt']);
    expect(fs.readFileSync(path.join(full, 'keep'), 'utf8')).toBe('x');
  });

  it('fails the commit, removing its partial folder, when the target was filled meanwhile', async () => {
    const target = path.join(root, 'raced');
    const f = await StagedFolder.create(target);
    await f.write('x.bin', Buffer.from('mine'));
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'theirs'), 'x');
    await expect(f.commit()).rejects.toThrow(/something was written there meanwhile/);
    expect(fs.readdirSync(target)).toEqual(['theirs']);
    expect(fs.readdirSync(root).filter((n) => n.startsWith('.raced.partial-'))).toEqual([]);
  });

  it('removes partial folders of dead processes for the same target, not of live ones or other targets', async () => {
    // A pid far above Linux's pid_max (4194304) is never alive.
    const dead = path.join(root, '.c.partial-99999999-deadbeef');
    const live = path.join(root, `.c.partial-${process.pid}-0badf00d`);
    const other = path.join(root, '.d.partial-99999999-deadbeef');
    for (const d of [dead, live, other]) fs.mkdirSync(d);
    const f = await StagedFolder.create(path.join(root, 'c'));
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(other)).toBe(true);
    await f.abort();
  });
});
