// Web-mode access control: a random 32-byte token, compared in constant time, accepted from the
// `vb_token_PORT` cookie, an `Authorization: Bearer` header or a `?token=` query; and a Host / Origin check
// against DNS rebinding (a page on evil.example resolving to 127.0.0.1 sends Host: evil.example).
// Cookies are scoped by host, not by port (RFC 6265 §8.5), so the cookie name carries the port: two web
// servers on one machine (two data folders) each keep their own token instead of overwriting each other's.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The name of this server's token cookie. */
export function cookieName(port: number): string {
  return `vb_token_${port}`;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time: both sides are hashed to equal length first, so neither length nor content leaks. */
export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 512) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    try {
      if (!out.has(k)) out.set(k, decodeURIComponent(v));
    } catch {
      /* malformed cookie value: ignore */
    }
  }
  return out;
}

/** Where the request carried a valid token, or null. */
export function requestToken(
  req: IncomingMessage,
  url: URL,
  token: string,
  port: number,
): 'cookie' | 'bearer' | 'query' | null {
  if (tokenMatches(token, parseCookies(req.headers.cookie).get(cookieName(port)))) return 'cookie';
  const auth = req.headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth) && tokenMatches(token, auth.replace(/^Bearer\s+/i, '').trim())) return 'bearer';
  if (tokenMatches(token, url.searchParams.get('token'))) return 'query';
  return null;
}

/** The Host header must name this server on loopback: 127.0.0.1:PORT or localhost:PORT. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/** Browsers always send Origin on WebSocket handshakes; it must be this server. Non-browser clients may omit it. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}
