// The shape every domain's service handlers take. Transports call `Handlers[name](parsedArgs)`;
// arguments have already passed the contract's schema when a handler sees them.
//
// "Host" calls (`dialog:*`) need the desktop shell (native dialogs) and are handled by the Electron main
// process, not by the services; web mode and the CLI answer them with NotSupportedError.
import type { CallName, CallResult, ParsedArgs } from '../contract/api.js';

export type Handler<N extends CallName> = (args: ParsedArgs<N>) => Promise<CallResult<N>> | CallResult<N>;

/** A domain provides the handlers for its own calls. */
export type DomainHandlers<K extends CallName> = { [N in K]: Handler<N> };

/** Calls only the desktop shell can answer. */
export type HostCallName = Extract<CallName, `dialog:${string}`>;
export type ServiceCallName = Exclude<CallName, HostCallName>;

/** Every service call, once every domain is composed (a compile error names a call without a handler). */
export type Handlers = DomainHandlers<ServiceCallName>;

/** Handlers of the desktop shell. */
export type HostHandlers = DomainHandlers<HostCallName>;

/** What a transport dispatches to: all service handlers, plus host handlers where the transport has them. */
export type AnyHandlers = Handlers & Partial<HostHandlers>;
