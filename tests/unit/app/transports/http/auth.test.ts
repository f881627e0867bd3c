import { describe, expect, it } from 'vitest';
import { hostAllowed, newToken, originAllowed, parseCookies, tokenMatches } from '../../../../../app/transports/http/auth.js';

describe('web-mode auth helpers', () => {
  it('makes distinct 32-byte tokens', () => {
    const a = newToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(a);
  });
  it('matches tokens exactly, rejecting empty, prefix, longer and oversize values', () => {
    const t = newToken();
    expect(tokenMatches(t, t)).toBe(true);
    for (const bad of ['', t.slice(0, -1), `${t}x`, t.toUpperCase(), 'x'.repeat(10_000), undefined, null]) {
      expect(tokenMatches(t, bad)).toBe(false);
    }
  });
  it('parses cookies, keeping the first of duplicates and ignoring malformed values', () => {
    const c = parseCookies('a=1; vb_token=abc; vb_token=evil; bad=%E0%A4%A; x');
    expect(c.get('vb_token')).toBe('abc');
    expect(c.get('a')).toBe('1');
    expect(c.has('bad')).toBe(false);
  });
  it('allows only this server as Host and Origin', () => {
    expect(hostAllowed('127.0.0.1:8080', 8080)).toBe(true);
    expect(hostAllowed('LOCALHOST:8080', 8080)).toBe(true);
    for (const h of [undefined, '', '127.0.0.1', '127.0.0.1:8081', 'evil.com:8080', '[::1]:8080', '0.0.0.0:8080']) {
      expect(hostAllowed(h, 8080), String(h)).toBe(false);
    }
    expect(originAllowed(undefined, 8080)).toBe(true); // non-browser clients
    expect(originAllowed('http://127.0.0.1:8080', 8080)).toBe(true);
    for (const o of ['null', 'http://evil.com', 'https://127.0.0.1:8080', 'http://127.0.0.1:8081', 'file://']) {
      expect(originAllowed(o, 8080), o).toBe(false);
    }
  });
});
