// Errors of the search domain (vector sets, exact and HNSW search, persisted indexes). Messages name the
// vector set, the key or the file involved.
import { VoxelbaseError } from '../../contract/errors.js';

export class SearchError extends VoxelbaseError {}
