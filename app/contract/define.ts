// The building blocks of the contract: a call is a zod schema for its arguments (validated at every
// transport boundary) plus a phantom result type; an event is a phantom payload type.
import type { z } from 'zod';

export interface CallSpec<A extends z.ZodType = z.ZodType, R = unknown> {
  readonly args: A;
  /** Phantom: only its type is used. */
  readonly result: R;
}

export function call<R>() {
  return <A extends z.ZodType>(args: A): CallSpec<A, R> => ({ args, result: undefined as R });
}

export interface EventSpec<P = unknown> {
  readonly payload: P;
}

export function event<P>(): EventSpec<P> {
  return { payload: undefined as P };
}
