// Domain error of the folder browser; the message names the path and why it is refused.
import { VoxelbaseError } from '../../contract/errors.js';

/** A path the folder browser refuses: outside its roots, a system location, missing, unreadable, not a folder. */
export class FsPathError extends VoxelbaseError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${JSON.stringify(path)}: ${detail}`);
  }
}
