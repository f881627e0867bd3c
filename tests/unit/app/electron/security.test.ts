// The desktop shell's security settings (app/electron/security.ts) against small fakes of Electron's
// App, WebContents and Session: every web preference, the CSP header on responses, permission refusals,
// and navigation / new-window / webview blocking. Electron itself is never loaded (security.ts imports
// only its types), so this runs in plain Node.
import { describe, expect, it } from 'vitest';
import type { App, Session } from 'electron';
import {
  applyCsp,
  denyPermissions,
  desktopCsp,
  lockNavigation,
  secureWebPreferences,
} from '../../../../app/electron/security.js';
import { rendererCsp } from '../../../../app/transports/renderer-csp.js';

type Listener = (...args: unknown[]) => void;

/** An event object as Electron passes it to will-navigate & co.: records preventDefault(). */
function fakeEvent(): { prevented: boolean; preventDefault(): void } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(name: string, fn: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
    return this;
  }
  emit(name: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(name) ?? []) fn(...args);
  }
}

class FakeWebContents extends FakeEmitter {
  openHandler?: (details: { url: string }) => unknown;
  setWindowOpenHandler(fn: (details: { url: string }) => unknown): void {
    this.openHandler = fn;
  }
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

class FakeSession {
  headersListener?: HeadersListener;
  requestHandler?: (wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
  checkHandler?: (wc: unknown, permission: string, origin: string, details: unknown) => boolean;
  readonly webRequest = {
    onHeadersReceived: (fn: HeadersListener) => {
      this.headersListener = fn;
    },
  };
  setPermissionRequestHandler(fn: FakeSession['requestHandler']): void {
    this.requestHandler = fn;
  }
  setPermissionCheckHandler(fn: FakeSession['checkHandler']): void {
    this.checkHandler = fn;
  }
}

const APP_URL = 'file:///opt/voxelbase/dist/renderer/index.html';
const isAppUrl = (url: string) => url.split('#')[0]!.split('?')[0] === APP_URL;

/** lockNavigation on a fake app, then one web contents created: returns that contents. */
function lockedContents(): FakeWebContents {
  const app = new FakeEmitter();
  lockNavigation(app as unknown as App, isAppUrl);
  expect(app.listeners.get('web-contents-created')).toHaveLength(1);
  const contents = new FakeWebContents();
  app.emit('web-contents-created', fakeEvent(), contents);
  return contents;
}

describe('secureWebPreferences', () => {
  it('sets every field of the hardened web preferences and nothing else', () => {
    expect(secureWebPreferences('/x/preload.cjs')).toStrictEqual({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
  });
});

describe('desktopCsp', () => {
  it('is the renderer CSP, plus only the dev server origin and its HMR socket in development', () => {
    expect(desktopCsp()).toBe(rendererCsp());
    const dev = desktopCsp('http://localhost:5173/');
    expect(dev).toBe(rendererCsp(['http://localhost:5173', 'ws://localhost:5173']));
    expect(dev).toMatch(/script-src 'self';/);
  });
});

describe('applyCsp', () => {
  it('sets the CSP and nosniff on every response, keeping the other headers and replacing a page CSP', () => {
    const session = new FakeSession();
    const csp = desktopCsp();
    applyCsp(session as unknown as Session, csp);
    expect(session.headersListener).toBeTypeOf('function');

    const out: { responseHeaders?: Record<string, string[]> }[] = [];
    session.headersListener!(
      {
        url: 'http://localhost:5173/',
        responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ['default-src *'] },
      },
      (r) => out.push(r),
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.responseHeaders).toStrictEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [csp],
      'X-Content-Type-Options': ['nosniff'],
    });

    session.headersListener!({ url: 'file:///x' }, (r) => out.push(r));
    expect(out).toHaveLength(2);
    expect(out[1]!.responseHeaders?.['Content-Security-Policy']).toStrictEqual([csp]);
  });
});

describe('denyPermissions', () => {
  it('refuses every permission request and check', () => {
    const session = new FakeSession();
    denyPermissions(session as unknown as Session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const answers: boolean[] = [];
      session.requestHandler!({}, permission, (granted) => answers.push(granted), {});
      expect(answers, permission).toStrictEqual([false]);
      expect(session.checkHandler!({}, permission, 'file://', {}), permission).toBe(false);
    }
  });
});

describe('lockNavigation', () => {
  it('prevents navigation and redirects to any URL but the app page', () => {
    const contents = lockedContents();
    for (const name of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://127.0.0.1:1/', 'javascript:alert(1)']) {
        const event = fakeEvent();
        contents.emit(name, event, url);
        expect(event.prevented, `${name} ${url}`).toBe(true);
      }
      for (const url of [APP_URL, `${APP_URL}#/library`]) {
        const event = fakeEvent();
        contents.emit(name, event, url);
        expect(event.prevented, `${name} ${url}`).toBe(false);
      }
    }
  });

  it('denies every new window and prevents webviews', () => {
    const contents = lockedContents();
    expect(contents.openHandler).toBeTypeOf('function');
    expect(contents.openHandler!({ url: 'https://example.com/' })).toStrictEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: APP_URL })).toStrictEqual({ action: 'deny' });
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.prevented).toBe(true);
  });
});
