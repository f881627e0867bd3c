// Public module of the pretrain domain: BYOL pretraining runs as pausable jobs of kind 'pretrain'.
//
//   planPretrain(ctx, { cohort } | { series }, options, provider?) -> PretrainPlan   defaults sized to the machine
//       and the data, the provider, the peak-memory estimate (nothing is written)
//   startPretrain(ctx, { cohort } | { series }, options, { name?, provider? }) -> { job, run }
//       MemoryBudgetError when the configuration cannot fit, ProviderError for a forced provider that does not work
//   resumePretrain(ctx, runId, provider?) -> { job, run }   from the run's newest valid checkpoint
//   resolveConfig(options, facts), estimateMemory(config), learningRateAt / tauAt (schedules)
//   tuningDir(dataDir): where training runs cache their tuned conv plans (shown by app:info)
export { planPretrain, startPretrain, resumePretrain } from './trainer.js';
export { resolveSource, type PretrainSource } from './source.js';
export { resolveConfig, trainStepConfig, type PlanFacts } from './config.js';
export { estimateMemory, networkSize, availableMemoryMb, MEMORY_MODEL } from './memory-estimate.js';
export { learningRateAt, tauAt, defaultTauBase } from './schedule.js';
export { chooseProviders, PROVIDER_ORDER } from './provider.js';
export { pretrainHandlers } from './handlers.js';
export { tuningDir } from './tuning-dir.js';
