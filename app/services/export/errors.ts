// Domain errors of encoder export; messages name the run, the tensor key or the folder concerned.
import { VoxelbaseError } from '../../contract/errors.js';

/** An export that cannot be made (weights that do not fit the architecture, an occupied target folder ...). */
export class ExportError extends VoxelbaseError {}
