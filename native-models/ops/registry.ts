// The op registry: every op the builder may emit, keyed by its `g.op.<name>` surface name. Each entry carries
// attribute types, shape inference and its gradient rule (or the reason it has none). The gradient-check suite
// (tests/unit/native-models/ops/gradient-checks.test.ts) walks this list and fails for an op without a check.
import { batchNormalization } from './batch-norm.js';
import { cast } from './cast.js';
import { and, equal, greater, greaterOrEqual, less, lessOrEqual, not } from './compare.js';
import { concat } from './concat.js';
import { constantOfShape, constantOp, shape } from './constant.js';
import { conv } from './conv.js';
import { convTranspose } from './conv-transpose.js';
import { add, div, mul, pow, sub } from './elementwise-binary.js';
import { abs, exp, identity, log, neg, relu, sigmoid, sign, sqrt, tanh } from './elementwise-unary.js';
import { expand } from './expand.js';
import { gather } from './gather.js';
import { gemm } from './gemm.js';
import { matMul } from './matmul.js';
import { max, min } from './max-min.js';
import { nchwcConv, nchwcMaxPool, reorderInput, reorderOutput } from './nchwc.js';
import { type OpDef, qualifiedType } from './op-def.js';
import { pad } from './pad.js';
import { averagePool, globalAveragePool, maxPool } from './pool.js';
import { ceil, floor } from './rounding.js';
import { reduceMax, reduceMean, reduceSum, reduceSumSquare } from './reduce.js';
import { flatten, reshape, squeeze, unsqueeze } from './reshape.js';
import { gatherElements, scatterElements } from './scatter-gather.js';
import { slice } from './slice.js';
import { transpose } from './transpose.js';
import { where } from './where.js';

export const OPS = {
  add, sub, mul, div, pow,
  neg, sqrt, exp, log, relu, sigmoid, tanh, abs, sign, identity, ceil, floor,
  cast,
  greater, less, greaterOrEqual, lessOrEqual, equal, and, not,
  where, max, min,
  matMul, gemm,
  conv, convTranspose, batchNormalization,
  maxPool, averagePool, globalAveragePool,
  reduceSum, reduceMean, reduceSumSquare, reduceMax,
  reshape, flatten, unsqueeze, squeeze, transpose, concat, slice, pad, expand,
  constant: constantOp, constantOfShape, shape,
  scatterElements, gatherElements, gather,
  reorderInput, reorderOutput, nchwcConv, nchwcMaxPool,
};

const BY_TYPE = new Map<string, OpDef>(Object.values(OPS).map((d) => [qualifiedType(d.type, (d as OpDef).domain), d as unknown as OpDef]));

/** The op registered as `type` in `domain` (or as the qualified `domain.type` when domain is omitted). */
export function opByType(type: string, domain = ''): OpDef | undefined {
  return BY_TYPE.get(qualifiedType(type, domain));
}

/** All registered op types, qualified by domain outside the default one. */
export function registeredTypes(): string[] {
  return [...BY_TYPE.keys()];
}
