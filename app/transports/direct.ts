// In-process transport for the CLI and tests: the same validation as IPC/HTTP, and errors come back the
// way they would over a wire (rebuilt from {name, message, ...}) so callers see one behaviour everywhere.
import type { Api, CallName } from '../contract/api.js';
import { deserializeError, serializeError } from '../contract/errors.js';
import type { Services } from '../services/index.js';
import { dispatch } from './dispatch.js';

export function createDirectApi(services: Pick<Services, 'handlers' | 'events'>): Api {
  return {
    async call(name, args) {
      try {
        return (await dispatch(services.handlers, name as CallName, args)) as never;
      } catch (err) {
        const rebuilt = deserializeError(serializeError(err));
        if (err instanceof Error && err.stack) rebuilt.stack = err.stack;
        throw rebuilt;
      }
    },
    on(name, listener) {
      return services.events.on(name, listener);
    },
  };
}
