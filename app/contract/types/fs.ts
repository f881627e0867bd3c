// fs:*: the server-side folder browser of the web mode (the desktop app has native dialogs). It lists and
// completes paths only inside its roots: the user's home folder, the folders the user added (fs:addRoot),
// and the folders imported before; never /proc, /sys, /dev or /run; symlinks are resolved before the check.

export type FsRootKind = 'home' | 'added' | 'imported';

export interface FsRoot {
  /** Absolute real path. */
  path: string;
  /** Short name for the sidebar (the folder's name, "Home" for the home folder). */
  label: string;
  kind: FsRootKind;
}

export type FsEntryKind = 'dir' | 'file';

export interface FsEntry {
  name: string;
  /** Absolute path (the folder's path joined with the name; symlinks are not resolved here). */
  path: string;
  kind: FsEntryKind;
  /** Bytes, for files. */
  size: number | null;
  /**
   * False when the entry cannot be opened in the browser: unreadable, or a symlink whose target lies
   * outside the roots or in a system location (`why` says which).
   */
  browsable: boolean;
  why?: string;
}

export interface FsListing {
  /** The folder listed, as an absolute real path. */
  path: string;
  /** The root it lies in. */
  root: string;
  /** The folder above, or null at a root (the browser never goes above its roots). */
  parent: string | null;
  /** Folders first, then files; hidden entries (names starting with '.') only when asked for. */
  entries: FsEntry[];
  /** Hidden entries left out. */
  hidden: number;
  /** More entries than the limit: the rest are left out. */
  truncated: boolean;
}

export interface FsCompletion {
  /** The typed text with `~` expanded and resolved (relative paths are taken from the home folder). */
  expanded: string;
  /** Entries of the folder typed so far whose names start with the last part typed (folders first). */
  entries: FsEntry[];
}

export interface FsCheckedPath {
  /** What was given. */
  input: string;
  /** Absolute real path: `~` expanded, `dir/` and `dir` the same, symlinks resolved. */
  path: string;
  kind: FsEntryKind;
  /** Inside the browser's roots (an outside path can still be imported; it is then not browsable). */
  insideRoots: boolean;
}
