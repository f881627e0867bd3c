// The public module of the learning engine: everything the app (services, workers, CLI, benches) uses from
// native-models comes through here, so the engine's folders can be reorganised without touching the app.
// Internals (op files, graph passes, gradient-rule details) stay private to native-models and its tests. The graph
// builder and autodiff entry points are public for the benches that time single ops (bench/conv-grad.ts).
export { NativeModelsError, GraphError } from './ir/errors.js';
export type { DType, TypedArray } from './ir/dtype.js';
export { typedArrayFor, bytesPerElement } from './ir/dtype.js';
export { type TensorData, tensor } from './ir/tensor.js';
export type { Graph } from './ir/graph.js';

export { GraphBuilder } from './ops/builder.js';
export type { ConvAttrs } from './ops/conv-attrs.js';
export type { ConvGradOptions } from './ops/op-def.js';
export { type GradientsOptions, gradients } from './autodiff/gradients.js';

export { type ResNetConfig, type ResNetDepth, resnetPreset, featureDim } from './models/resnet3d.js';
export type { ByolHeads } from './models/byol.js';
export { BYOL_DEFAULT_HEADS } from './models/byol.js';
export type { BnStatistics, NormKind } from './models/norms.js';
export type { ParamSpec } from './models/params.js';

export type { OptimizerConfig } from './optim/from-config.js';

export { type TrainStepConfig, type TrainStepGraph, type BuildOptions, buildTrainStep, newName, gradName, COLLAPSE_STD } from './graphs/train-step.js';
export { type StepHyper, type StepResult, type RunnerOptions, ByolTrainRunner } from './graphs/train-runner.js';
export { type EncoderGraphOptions, buildEncoder } from './graphs/encoder.js';
export { randomEncoderParams } from './graphs/encoder-params.js';
export { type BnReestimateOptions, reestimateBnStatistics } from './graphs/bn-statistics.js';

export { initParams } from './init/init-params.js';
export { Philox } from './init/philox.js';

export {
  SafetensorsError,
  type TensorMap,
  encodeSafetensors,
  decodeSafetensors,
  type DecodedSafetensors,
  readSafetensors,
  writeSafetensors,
} from './io/safetensors.js';
export { serializeModel, loadModel, OPSET, type SerializeOptions } from './onnx/model-proto.js';

export { GraphSession, type RunOptions, type Feed, ortVersion } from './runtime/session.js';
export { type MachineInfo, machineInfo, machineKey } from './runtime/machine.js';
export { trainingProcessEnv } from './runtime/process-env.js';
export type { ConvPlanner, ConvForm, ConvRole } from './ops/conv-plan.js';
export {
  type Tuning,
  type TuningOptions,
  type PlanReport,
  type PlanChoice,
  tuneConvPlan,
  cachedConvPlan,
  cachedConvPlans,
  defaultPlanner,
} from './tuning/autotune.js';
export type { MachinePlan, TunedChoice } from './tuning/plan-cache.js';
export { type ProviderStatus, probeProviders } from './runtime/providers.js';
