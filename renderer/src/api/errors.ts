// Turns whatever a transport rejected with into an Error that keeps the service's error name, as the
// contract prescribes ({name, message, ...} on the wire). Uses the contract's own pure deserialiser.
import { deserializeError } from '../../../app/contract/errors.js';
import type { SerializedError } from '../../../app/contract/types.js';

export function isSerializedError(value: unknown): value is SerializedError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.message === 'string';
}

/** What to show for a caught value: an Error's message, anything else as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (isSerializedError(value)) return deserializeError(value);
  return new Error(String(value));
}

/** An error raised by the renderer's transport itself (not by a service). */
export function transportError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}
