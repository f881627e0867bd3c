import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { makeAppUrlCheck, makeSenderCheck } from '../../../../../app/transports/ipc/sender.js';

const indexFile = path.resolve('/opt/voxelbase/resources/app/dist/renderer/index.html');
const indexUrl = pathToFileURL(indexFile).href;

describe('IPC sender check', () => {
  const check = makeSenderCheck({ indexFile });
  it('accepts the top frame of the app page (query and hash ignored)', () => {
    expect(check({ url: indexUrl, parent: null })).toBe(true);
    expect(check({ url: `${indexUrl}#/library?x=1`, parent: null })).toBe(true);
  });
  it('refuses other files, other schemes, subframes and missing frames', () => {
    expect(check({ url: pathToFileURL('/tmp/evil/index.html').href, parent: null })).toBe(false);
    expect(check({ url: 'https://example.com/', parent: null })).toBe(false);
    expect(check({ url: 'http://localhost:5173/', parent: null })).toBe(false); // no dev server configured
    expect(check({ url: indexUrl, parent: {} })).toBe(false);
    expect(check({ url: 'not a url', parent: null })).toBe(false);
    expect(check(null)).toBe(false);
  });
  it('accepts the dev server origin only when configured', () => {
    const dev = makeSenderCheck({ indexFile, devServerUrl: 'http://localhost:5173' });
    expect(dev({ url: 'http://localhost:5173/#/search', parent: null })).toBe(true);
    expect(dev({ url: 'http://localhost:5174/', parent: null })).toBe(false);
    expect(dev({ url: 'http://127.0.0.1:5173/', parent: null })).toBe(false);
  });
});

describe('app URL check (navigation lock of the Electron shell)', () => {
  it('is the same rule as the sender check, on bare URLs', () => {
    const isApp = makeAppUrlCheck({ indexFile });
    expect(isApp(`${indexUrl}?q=1#/series/3`)).toBe(true);
    expect(isApp(pathToFileURL('/opt/voxelbase/resources/app/dist/renderer/other.html').href)).toBe(false);
    expect(isApp('https://evil.example/')).toBe(false);
    expect(isApp('javascript:alert(1)')).toBe(false);
    const dev = makeAppUrlCheck({ indexFile, devServerUrl: 'http://localhost:5173' });
    expect(dev('http://localhost:5173/anything')).toBe(true);
    expect(dev(indexUrl)).toBe(true);
  });
});
