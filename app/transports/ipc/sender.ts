// The one check of "is this the app's own page": the packaged file:// index.html (query/hash ignored), or, in
// development, a page from the Vite dev server. The Electron shell uses it to lock navigation (app/electron/main.ts)
// and to decide which renderer frames may use the IPC API: only the top frame showing the app's page. Anything else
// (a navigated-away page, an iframe, a devtools extension) is refused.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The parts of Electron's WebFrameMain this check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

export interface SenderPolicy {
  /** Absolute path of the renderer's index.html. */
  indexFile: string;
  /** e.g. 'http://localhost:5173' when running against the Vite dev server. */
  devServerUrl?: string;
}

/** Whether a URL is the app's own page. */
export function makeAppUrlCheck(policy: SenderPolicy): (url: string) => boolean {
  const index = path.resolve(policy.indexFile);
  const devOrigin = policy.devServerUrl ? new URL(policy.devServerUrl).origin : undefined;
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') {
      try {
        url.search = '';
        url.hash = '';
        return path.resolve(fileURLToPath(url)) === index;
      } catch {
        return false;
      }
    }
    return devOrigin !== undefined && url.origin === devOrigin;
  };
}

/** Whether an IPC sender frame is the top frame showing the app's own page. */
export function makeSenderCheck(policy: SenderPolicy): (frame: FrameLike | null | undefined) => boolean {
  const isAppUrl = makeAppUrlCheck(policy);
  return (frame) => Boolean(frame && !frame.parent && isAppUrl(frame.url));
}
