// Serving the built renderer (dist/renderer) safely: decoded paths may not contain '..' segments,
// backslashes or NUL; the resolved file must lie inside the root (symlinks resolved too); unknown
// extension-less paths fall back to index.html (client-side routes).
import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticResult = { file: string; type: string } | { status: 400 | 404 };

/** Maps a raw URL pathname to a file under `root`, or a refusal. Pure except for fs lookups. */
export function resolveStatic(root: string, rawPathname: string): StaticResult {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPathname);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { status: 400 };
  const rootReal = safeRealpath(root);
  if (!rootReal) return { status: 404 };
  const rel = decoded.replace(/^\/+/, '');
  let candidate = path.resolve(rootReal, rel || 'index.html');
  if (!inside(rootReal, candidate)) return { status: 400 };
  let stat = safeStat(candidate);
  if (stat?.isDirectory()) {
    candidate = path.join(candidate, 'index.html');
    stat = safeStat(candidate);
  }
  if (!stat && !path.extname(rel)) {
    candidate = path.join(rootReal, 'index.html'); // SPA route
    stat = safeStat(candidate);
  }
  if (!stat || !stat.isFile()) return { status: 404 };
  const real = safeRealpath(candidate);
  if (!real || !inside(rootReal, real)) return { status: 400 };
  return { file: real, type: TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream' };
}

export function sendFile(res: ServerResponse, file: string, type: string, headOnly: boolean): void {
  const stat = fs.statSync(file);
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', stat.size);
  // Vite's hashed assets never change; index.html must always be fresh.
  res.setHeader('Cache-Control', /[/\\]assets[/\\]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (headOnly) {
    res.end();
    return;
  }
  fs.createReadStream(file).pipe(res);
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function safeStat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
