// The renderer's one CSP: no inline or eval scripts, no plugins, no framing, and only the connection
// sources a transport asks for.
import { describe, expect, it } from 'vitest';
import { rendererCsp } from '../../../../app/transports/renderer-csp.js';
import { contentSecurityPolicy } from '../../../../app/transports/http/security-headers.js';
import { desktopCsp } from '../../../../app/electron/security.js';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
}

describe('rendererCsp', () => {
  it('allows only self scripts and blocks objects, framing and base/form hijacking', () => {
    const d = directives(rendererCsp());
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(rendererCsp()).not.toMatch(/unsafe-eval/);
    expect(d.get('connect-src')).toEqual(["'self'"]);
  });

  it('web mode adds only its own WebSocket; the desktop shell adds only its dev server', () => {
    expect(directives(contentSecurityPolicy(4321)).get('connect-src')).toEqual([
      "'self'",
      'ws://127.0.0.1:4321',
      'ws://localhost:4321',
    ]);
    expect(directives(desktopCsp()).get('connect-src')).toEqual(["'self'"]);
    expect(directives(desktopCsp('http://localhost:5173')).get('connect-src')).toEqual([
      "'self'",
      'http://localhost:5173',
      'ws://localhost:5173',
    ]);
  });
});
