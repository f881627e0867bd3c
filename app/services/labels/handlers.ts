// labels:* calls.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import { importLabelsCsv, labelsFromAttribute } from './import-labels.js';
import { labelKeys } from './store.js';

export function labelsHandlers(ctx: ServiceContext): DomainHandlers<'labels:import' | 'labels:fromAttribute' | 'labels:keys'> {
  return {
    'labels:import': (args) => importLabelsCsv(ctx.db, args),
    'labels:fromAttribute': (args) => labelsFromAttribute(ctx.db, args),
    'labels:keys': () => labelKeys(ctx.db),
  };
}
