// The app's layers (DESIGN §3) as an ESLint rule, `voxelbase/layers`, checked on every import, re-export and
// literal dynamic import by its resolved path (so `../x.js` means the same thing at every folder depth):
// - app/contract/ imports nothing but app/contract/ and zod;
// - app/services/ imports no transport, no Electron, no CLI, no renderer; a domain (app/services/<d>/) uses another
//   domain only through that domain's public module app/services/<e>/index.ts (the catalogue database, its counts
//   and the job manager are the shared infrastructure every domain may use directly);
// - the transports, the CLI, the Electron shell and the launcher reach the services only through
//   app/services/index.ts or a domain's index.ts (worker entries in app/workers/ belong to their domain);
// - everything in app/ uses the learning engine only through native-models/index.ts;
// - the renderer imports only renderer/ and app/contract/, and no Node built-in or Node-only package.
// native-models' own folder layers are held by no-restricted-imports blocks in eslint.config.js.
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const NODE_ONLY = new Set(['electron', 'better-sqlite3', 'onnxruntime-node', 'ws', 'usearch', 'commander', 'tsx']);
const BUILTINS = new Set(builtinModules);
const SHARED_SERVICE_MODULES = new Set(['catalogue/database', 'catalogue/counts', 'jobs/job-manager']);

/** Repo-relative path of `spec` imported from `file`, without its extension; null for packages. */
function resolve(file, spec) {
  if (!spec.startsWith('.')) return null;
  return path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep).join('/').replace(/\.(c|m)?(js|ts)$/, '');
}

function packageName(spec) {
  const s = spec.replace(/^node:/, '');
  return s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0];
}

/** Why `spec` (imported from repo-relative `from`) breaks a layer, or null. */
export function layerViolation(from, spec, absFile) {
  const to = resolve(absFile, spec);
  const pkg = to === null ? packageName(spec) : null;

  if (from.startsWith('app/contract/')) {
    if (to !== null && !to.startsWith('app/contract/')) return `app/contract imports nothing but app/contract and zod (${spec})`;
    if (pkg !== null && pkg !== 'zod') return `app/contract imports nothing but zod (${spec})`;
    return null;
  }

  if (from.startsWith('renderer/')) {
    if (to !== null && !to.startsWith('renderer/') && !to.startsWith('app/contract/')) {
      return `the renderer imports only renderer/ and app/contract/ (${spec})`;
    }
    if (pkg !== null && (spec.startsWith('node:') || BUILTINS.has(pkg) || NODE_ONLY.has(pkg))) {
      return `the renderer imports no Node built-in or Node-only package (${spec})`;
    }
    return null;
  }

  if (!from.startsWith('app/')) return null;
  if (to !== null && to.startsWith('native-models/') && to !== 'native-models/index') {
    return `app/ uses native-models only through native-models/index.ts (${spec})`;
  }

  if (from.startsWith('app/services/')) {
    if (pkg === 'electron') return `app/services imports no Electron (${spec})`;
    if (to !== null && /^(app\/(transports|electron|cli|launch)|renderer)(\/|$)/.test(to)) {
      return `app/services imports no transport, Electron, CLI or renderer (${spec})`;
    }
    const own = from.split('/')[2];
    const isDomainFile = from.split('/').length > 3; // app/services/<d>/...; the files beside index.ts are the core
    if (to !== null && isDomainFile && to.startsWith('app/services/')) {
      const parts = to.split('/');
      const other = parts[2];
      const rest = parts.slice(3).join('/');
      if (parts.length > 3 && other !== own && rest !== 'index' && !SHARED_SERVICE_MODULES.has(`${other}/${rest}`)) {
        return `domain ${own} uses ${other} only through app/services/${other}/index.ts (${spec})`;
      }
    }
    return null;
  }

  if (/^app\/(transports|cli|electron|launch)/.test(from) && to !== null && to.startsWith('app/services/')) {
    const parts = to.split('/');
    if (!(parts.length === 3 && parts[2] === 'index') && !(parts.length === 4 && parts[3] === 'index')) {
      return `transports, the CLI and the Electron shell reach services only through app/services/index.ts or a domain's index.ts (${spec})`;
    }
  }
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: "imports across the app's layers (DESIGN §3)" },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = path.relative(ROOT, file).split(path.sep).join('/');
    const check = (node) => {
      const src = node.source;
      if (!src || src.type !== 'Literal' || typeof src.value !== 'string') return;
      const why = layerViolation(from, src.value, file);
      if (why) context.report({ node: src, message: `layers: ${why}` });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export const layersPlugin = { rules: { layers: rule } };
