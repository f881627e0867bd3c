// Security settings of the desktop shell, kept apart from the window code so they can be read at a
// glance: web preferences, the page's CSP, navigation/new-window/webview/permission refusals.
// Follows Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security).
import type { App, Session, WebContents, WebPreferences } from 'electron';
import { rendererCsp } from '../transports/renderer-csp.js';

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
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
  };
}

/** CSP of the desktop renderer; `devServer` (Vite) adds its origin and HMR socket in development only. */
export function desktopCsp(devServer?: string): string {
  const dev = devServer ? new URL(devServer) : undefined;
  return rendererCsp(dev ? [dev.origin, `ws://${dev.host}`] : []);
}

/** Adds the CSP header to every response of the session (dev server, and any http(s) load). */
export function applyCsp(session: Session, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [csp],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}

/** No permission (camera, notifications, geolocation ...) is ever granted to the page. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Every web contents: navigation only to the app page, no new windows, no webviews. */
export function lockNavigation(app: App, isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
