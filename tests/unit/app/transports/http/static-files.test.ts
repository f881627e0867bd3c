import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveStatic } from '../../../../../app/transports/http/static-files.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vb-static-')));
fs.mkdirSync(path.join(root, 'assets'));
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
fs.writeFileSync(path.join(root, 'assets', 'a.js'), '1');
fs.writeFileSync(path.join(root, 'assets', 'b.wasm'), '');

describe('resolveStatic', () => {
  it('maps paths to files with content types, directories and routes to index.html', () => {
    expect(resolveStatic(root, '/')).toEqual({ file: path.join(root, 'index.html'), type: 'text/html; charset=utf-8' });
    expect(resolveStatic(root, '/assets/a.js')).toMatchObject({ type: 'text/javascript; charset=utf-8' });
    expect(resolveStatic(root, '/assets/b.wasm')).toMatchObject({ type: 'application/wasm' });
    expect(resolveStatic(root, '/assets/')).toMatchObject({ file: path.join(root, 'index.html') }); // SPA fallback
    expect(resolveStatic(root, '/library/series')).toMatchObject({ file: path.join(root, 'index.html') });
    expect(resolveStatic(root, '/nope.css')).toEqual({ status: 404 });
  });
  it('refuses traversal, backslashes, NUL and malformed escapes', () => {
    for (const p of ['/../x', '/%2e%2e/x', '/a/%2E%2E/%2E%2E/x', '/..%5cx', '/a%00.js', '/%E0%A4%A', '/./index.html']) {
      expect(resolveStatic(root, p), p).toEqual({ status: 400 });
    }
  });
  it('answers 404 when the root does not exist', () => {
    expect(resolveStatic(path.join(root, 'missing'), '/')).toEqual({ status: 404 });
  });
});
