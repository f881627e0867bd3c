// search:* calls.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import { searchSimilar } from './similar.js';

export function searchHandlers(ctx: ServiceContext): DomainHandlers<'search:similar'> {
  return {
    'search:similar': (args) => searchSimilar(ctx, args),
  };
}
