// Hash router state: the current location as a rune, updated on `hashchange`. Hash routing works both
// from the web-mode server and from file:// in Electron, with no server-side routes.
import { parseHash, type Location } from './route-match.js';

class Router {
  location = $state<Location>(parseHash(globalThis.location?.hash ?? ''));

  constructor() {
    globalThis.addEventListener?.('hashchange', () => {
      this.location = parseHash(globalThis.location.hash);
    });
  }

  /** Go to `path`; `replace` rewrites the current history entry instead of adding one. */
  go(path: string, replace = false): void {
    const hash = `#${path}`;
    if (replace) {
      history.replaceState(history.state, '', hash);
      this.location = parseHash(hash);
    } else {
      globalThis.location.hash = hash;
    }
  }
}

let shared: Router | null = null;

export function router(): Router {
  shared ??= new Router();
  return shared;
}
