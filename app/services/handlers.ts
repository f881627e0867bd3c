// The shape every domain's service handlers take. Transports call `Handlers[name](parsedArgs)`;
// arguments have already passed the contract's schema when a handler sees them.
import type { CallName, CallResult, ParsedArgs } from '../contract/api.js';

export type Handler<N extends CallName> = (args: ParsedArgs<N>) => Promise<CallResult<N>> | CallResult<N>;

/** A domain provides the handlers for its own calls. */
export type DomainHandlers<K extends CallName> = { [N in K]: Handler<N> };

/** All calls, once every domain is composed. */
export type Handlers = DomainHandlers<CallName>;
