// The wire form of an error: {name, message, ...extras} (see ../errors.ts).

export interface SerializedError {
  name: string;
  message: string;
  [extra: string]: unknown;
}
