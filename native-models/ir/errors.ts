// Errors of the learning engine. `NativeModelsError` is the engine's own base (native-models imports nothing from
// the app): like the app's VoxelbaseError, `name` is the subclass name, so the app's serializeError carries it over
// the wire as {name, message, ...fields} and the far side rebuilds an Error with that name.
// GraphError is the domain error of graph construction, shape inference, autodiff and serialisation; its message
// names the op type and node (or value) so a failure points at the offending place in the graph.

export class NativeModelsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class GraphError extends NativeModelsError {
  constructor(
    message: string,
    readonly op?: string,
    readonly node?: string,
  ) {
    super(op || node ? `${op ?? '?'}${node ? ` (${node})` : ''}: ${message}` : message);
  }
}
