// The one Content-Security-Policy of the renderer, whichever shell serves it (Electron or the web mode):
// only this origin's scripts (no inline, no eval), styles with 'unsafe-inline' (Svelte's style: directives
// and transitions set inline styles), images from self/data/blob, and connections to `connect` besides self.
// Callers add only the connection sources their transport needs.

export function rendererCsp(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ['connect-src', "'self'", ...connect].join(' '),
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
