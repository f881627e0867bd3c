// The files domain's public module (the web mode's folder browser, and the path rules the import shares).
export { fsHandlers, type FsOptions } from './handlers.js';
export { FsPathError } from './errors.js';
export { FORBIDDEN_ROOTS, isForbidden, isInside, expandHome, normaliseInput } from './path-rules.js';
export { inspectPath, type Inspected } from './inspect-path.js';
export { browseRoots, addRoot, removeRoot } from './roots.js';
