// Domain errors of the import pipeline; messages name the path or run concerned.
import { VoxelbaseError } from '../../contract/errors.js';

/** A path given to an import that cannot be imported (missing, not a file/folder, a system location). */
export class ImportPathError extends VoxelbaseError {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`cannot import ${JSON.stringify(path)}: ${detail}`);
  }
}

/** An import run that failed as a whole (the database, a worker ...). Per-file problems never raise this. */
export class ImportError extends VoxelbaseError {}
