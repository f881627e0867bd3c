import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type Services } from '../../../../app/services/index.js';
import { calls, events } from '../../../../app/contract/api.js';
import { eventNames } from '../../../../app/services/events.js';

let services: Services;
let dir: string;
beforeAll(() => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vb-svc-')), 'nested', 'data');
  services = createServices({ dataDir: dir });
});
afterAll(() => services.close());

describe('createServices', () => {
  it('creates the data folder and its catalogue', () => {
    expect(fs.existsSync(path.join(dir, 'catalogue.sqlite'))).toBe(true);
    expect(services.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('has a handler for every contract call except the desktop-only dialog calls', () => {
    const expected = Object.keys(calls).filter((n) => !n.startsWith('dialog:')).sort();
    expect(Object.keys(services.handlers).sort()).toEqual(expected);
    for (const h of Object.values(services.handlers)) expect(typeof h).toBe('function');
  });

  it('the event bus knows every contract event and isolates failing listeners', () => {
    expect([...eventNames].sort()).toEqual(Object.keys(events).sort());
    const got: unknown[] = [];
    const off1 = services.events.on('import-folders-chosen', () => {
      throw new Error('listener bug');
    });
    const off2 = services.events.onAny((name, payload) => got.push([name, payload]));
    const errors: unknown[] = [];
    const origError = console.error;
    console.error = (...a: unknown[]) => void errors.push(a);
    try {
      services.events.emit('import-folders-chosen', { paths: ['/x'] });
    } finally {
      console.error = origError;
    }
    off1();
    off2();
    expect(got).toEqual([['import-folders-chosen', { paths: ['/x'] }]]);
    expect(errors).toHaveLength(1);
  });

  it('close() is idempotent and closes the database', async () => {
    const other = createServices({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'vb-svc2-')) });
    await Promise.all([other.close(), other.close()]);
    expect(other.db.open).toBe(false);
  });
});
