// Which renderer frames may use the IPC API: only the top frame showing the app's own page, i.e. the
// packaged file:// index.html (query/hash ignored), or, in development, a page from the Vite dev server.
// Anything else (a navigated-away page, an iframe, a devtools extension) is refused.
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

export function makeSenderCheck(policy: SenderPolicy): (frame: FrameLike | null | undefined) => boolean {
  const index = path.resolve(policy.indexFile);
  const devOrigin = policy.devServerUrl ? new URL(policy.devServerUrl).origin : undefined;
  return (frame) => {
    if (!frame || frame.parent) return false;
    let url: URL;
    try {
      url = new URL(frame.url);
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
