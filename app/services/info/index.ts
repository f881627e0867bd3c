// The info domain's public module: app:info and the package's own facts (version, install root).
export { infoHandlers, appInfo } from './handlers.js';
export { packageInfo } from './version.js';
