// Domain error for graph construction, shape inference, autodiff and serialisation.
// Messages name the op type and node (or value) so a failure points at the offending place in the graph.
import { VoxelbaseError } from '../../app/contract/errors.js';

export class GraphError extends VoxelbaseError {
  constructor(
    message: string,
    readonly op?: string,
    readonly node?: string,
  ) {
    super(op || node ? `${op ?? '?'}${node ? ` (${node})` : ''}: ${message}` : message);
  }
}
