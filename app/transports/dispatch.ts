// The one boundary every transport goes through: the name must be a contract call, the arguments must
// pass the call's zod schema (defaults applied), then the handler runs. Throws UnknownCallError,
// ValidationError or NotSupportedError; handler errors pass through unchanged.
import { z } from 'zod';
import { calls, isCallName, type CallName } from '../contract/api.js';
import { NotSupportedError, UnknownCallError, ValidationError, serializeError } from '../contract/errors.js';
import type { CallEnvelope } from '../contract/wire.js';
import type { AnyHandlers } from '../services/index.js';

export function parseArgs(name: CallName, args: unknown): unknown {
  const parsed = calls[name].args.safeParse(args === undefined ? {} : args);
  if (!parsed.success) {
    throw new ValidationError(`invalid arguments for ${name}: ${z.prettifyError(parsed.error)}`, parsed.error.issues);
  }
  return parsed.data;
}

export async function dispatch(handlers: AnyHandlers, name: unknown, args: unknown): Promise<unknown> {
  if (!isCallName(name)) {
    throw new UnknownCallError(`unknown call ${JSON.stringify(typeof name === 'string' ? name.slice(0, 100) : name)}`);
  }
  const parsed = parseArgs(name, args);
  const handler = (handlers as Record<string, ((a: unknown) => unknown) | undefined>)[name];
  if (!handler) throw new NotSupportedError(`${name} is not available here (it needs the desktop app)`);
  return await handler(parsed);
}

/** dispatch() as an envelope, for wire transports. */
export async function dispatchEnvelope(handlers: AnyHandlers, name: unknown, args: unknown): Promise<CallEnvelope> {
  try {
    return { ok: true, result: await dispatch(handlers, name, args) };
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}
