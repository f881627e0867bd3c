// pretrain:* handlers: plan, start and resume runs (trainer.ts).
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import type { PretrainOptions } from '../../contract/types/runs.js';
import { planPretrain, resumePretrain, startPretrain } from './trainer.js';

export function pretrainHandlers(ctx: ServiceContext): DomainHandlers<'pretrain:plan' | 'pretrain:start' | 'pretrain:resume'> {
  return {
    'pretrain:plan': ({ cohort, series, options, provider }) => planPretrain(ctx, { cohort, series }, options as PretrainOptions, provider),
    'pretrain:start': ({ cohort, series, options, name, provider }) => startPretrain(ctx, { cohort, series }, options as PretrainOptions, { name, provider }),
    'pretrain:resume': ({ run, provider }) => resumePretrain(ctx, run, provider),
  };
}
