// Issue #4 item 8, "no op that the CUDA provider lacks": every node of the float32 BYOL train-step graph (each
// optimiser, per-view and joint BN statistics, GroupNorm, every convolution-gradient formulation) and of the
// inference encoder is an ai.onnx op with a CUDA kernel at opset 17 for the dtypes it is used with, and no
// BatchNormalization runs in training mode (the CUDA kernel does not support training_mode=1 at opset >= 14:
// DESIGN §5). Also: ops/batch-norm.ts refuses training_mode != 0 when the graph is built.
//
// CUDA_KERNELS is written from onnxruntime's docs/OperatorKernels.md, section "Operators implemented by
// CUDAExecutionProvider", domain ai.onnx (https://github.com/microsoft/onnxruntime/blob/main/docs/OperatorKernels.md,
// read at commit 001d12d2623fd411ce0f83d05abb5e82304a3389): for each op the row whose opset range holds 17, with
// its type constraints mapped to this IR's dtypes (float = float32, double = float64; bfloat16/uint16/... have no IR
// dtype and are left out). Only ops this project emits are listed; an op added to the graphs must be checked
// against that file and added here.
import { describe, expect, it } from 'vitest';
import type { DType } from '../../../../native-models/ir/dtype.js';
import { type Graph, Node, Value } from '../../../../native-models/ir/graph.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { GraphError } from '../../../../native-models/ir/errors.js';
import { tensor } from '../../../../native-models/ir/tensor.js';
import { initParams } from '../../../../native-models/init/init-params.js';
import { buildEncoder } from '../../../../native-models/graphs/encoder.js';
import { buildTrainStep } from '../../../../native-models/graphs/train-step.js';
import { resnetPreset } from '../../../../native-models/models/resnet3d.js';
import { OPSET, loadModel, serializeModel } from '../../../../native-models/onnx/model-proto.js';
import type { OptimizerConfig } from '../../../../native-models/optim/from-config.js';
import type { ConvInputGrad, ConvWeightGrad } from '../../../../native-models/ops/op-def.js';
import { tinyByol } from './tiny-byol.js';

// Type lists of OperatorKernels.md, in IR dtypes.
const ALL: DType[] = ['bool', 'float64', 'float32', 'float16', 'int32', 'int64', 'int8', 'uint8']; // incl. int16/uint16/32/64
const NUMERIC: DType[] = ['float64', 'float32', 'float16', 'int32', 'int64', 'int8', 'uint8']; // Add/Sub/Mul/Div 14+, Sign 13+
const FLOATS: DType[] = ['float64', 'float32', 'float16'];
const IND: DType[] = ['int32', 'int64'];

interface Kernel {
  /** Type constraint of each input (the last repeats for variadic inputs) and output, as letters of `types`. */
  inputs: string[];
  outputs: string[];
  types: Record<string, DType[]>;
  /** The OperatorKernels.md row used (opset range). */
  row: string;
}

const k = (row: string, inputs: string, outputs: string, types: Record<string, DType[]>): Kernel => ({
  row,
  inputs: inputs.split(' ').filter(Boolean),
  outputs: outputs.split(' ').filter(Boolean),
  types,
});
const I64: DType[] = ['int64'];

const CUDA_KERNELS: Record<string, Kernel> = {
  Add: k('14+', 'T T', 'T', { T: NUMERIC }),
  And: k('7+', 'T T', 'T1', { T: ['bool'], T1: ['bool'] }),
  BatchNormalization: k('15+', 'T T1 T1 T2 T2', 'T T2 T2', { T: FLOATS, T1: FLOATS, T2: FLOATS }),
  Cast: k('[13, 18]', 'T1', 'T2', { T1: ALL, T2: ALL }),
  Ceil: k('13+', 'T', 'T', { T: FLOATS }),
  Concat: k('13+', 'T', 'T', { T: ALL }),
  Conv: k('[11, 21]', 'T T T', 'T', { T: FLOATS }),
  ConvTranspose: k('11+', 'T T T', 'T', { T: FLOATS }),
  Div: k('14+', 'T T', 'T', { T: NUMERIC }),
  Expand: k('13+', 'T S', 'T', { T: ALL, S: I64 }),
  Flatten: k('13+', 'T', 'T', { T: ALL }),
  Gemm: k('13+', 'T T T', 'T', { T: FLOATS }),
  GlobalAveragePool: k('1+', 'T', 'T', { T: FLOATS }),
  Greater: k('13+', 'T T', 'T1', { T: ['float64', 'float32', 'float16', 'int32', 'int64'], T1: ['bool'] }),
  Identity: k('[14, 18]', 'V', 'V', { V: ALL }),
  MatMul: k('13+', 'T T', 'T', { T: FLOATS }),
  Max: k('13+', 'T', 'T', { T: ['float64', 'float32', 'float16', 'int32', 'int64'] }),
  MaxPool: k('12+', 'T', 'T I', { T: ['float64', 'float32', 'float16', 'int8', 'uint8'], I: I64 }),
  Min: k('13+', 'T', 'T', { T: ['float64', 'float32', 'float16', 'int32', 'int64'] }),
  Mul: k('14+', 'T T', 'T', { T: NUMERIC }),
  Neg: k('13+', 'T', 'T', { T: ['float64', 'float32', 'float16', 'int32', 'int64', 'int8'] }),
  Pad: k('[13, 17]', 'T S T', 'T', { T: ['bool', 'float64', 'float32', 'float16'], S: I64 }),
  Pow: k('15+', 'T T1', 'T', { T: ['float64', 'float32', 'float16', 'int32', 'int64'], T1: ['float64', 'float32', 'float16', 'int32', 'int64'] }),
  ReduceMean: k('[1, 17]', 'T', 'T', { T: ['float64', 'float32', 'float16', 'int32'] }),
  ReduceSum: k('13+', 'T S', 'T', { T: ['float64', 'float32', 'float16', 'int32', 'int64'], S: I64 }),
  ReduceSumSquare: k('[1, 17]', 'T', 'T', { T: FLOATS }),
  Relu: k('14+', 'T', 'T', { T: FLOATS }),
  Reshape: k('[14, 18]', 'T S', 'T', { T: ALL, S: I64 }),
  ScatterElements: k('[16, 17]', 'T Tind T', 'T', { T: ALL, Tind: IND }),
  Sign: k('13+', 'T', 'T', { T: NUMERIC }),
  Slice: k('13+', 'T Tind Tind Tind Tind', 'T', { T: ALL, Tind: IND }),
  Sqrt: k('13+', 'T', 'T', { T: FLOATS }),
  Sub: k('14+', 'T T', 'T', { T: NUMERIC }),
  Transpose: k('[13, 20]', 'T', 'T', { T: ALL }),
  Unsqueeze: k('[13, 20]', 'T S', 'T', { T: ALL, S: I64 }),
  Where: k('16+', 'B T T', 'T', { B: ['bool'], T: ['float64', 'float32', 'float16', 'int32', 'int64', 'uint8'] }),
};

/** Every way a node of `graph` falls outside CUDA_KERNELS or runs BN in training mode (empty when none). */
function cudaProblems(graph: Graph): string[] {
  const problems: string[] = [];
  for (const n of graph.nodes) {
    const where = `${n.opType} ${n.name}`;
    if (n.domain !== '' && n.domain !== 'ai.onnx') {
      problems.push(`${where}: domain '${n.domain}'`);
      continue;
    }
    const kernel = CUDA_KERNELS[n.opType];
    if (!kernel) {
      problems.push(`${where}: no CUDA kernel listed`);
      continue;
    }
    if (n.opType === 'BatchNormalization' && n.attr('training_mode', 0) !== 0) problems.push(`${where}: training_mode=${n.attr('training_mode', 0)}`);
    const bound = new Map<string, DType>();
    const check = (letter: string, dtype: DType, slot: string) => {
      if (!kernel.types[letter].includes(dtype)) problems.push(`${where}: ${slot} is ${dtype}, CUDA ${kernel.row} has ${letter} = ${kernel.types[letter].join('|')}`);
      const prev = bound.get(letter);
      if (prev && prev !== dtype) problems.push(`${where}: ${slot} is ${dtype} but ${letter} is ${prev}`);
      if (!prev) bound.set(letter, dtype);
    };
    n.inputs.forEach((v, i) => {
      if (v) check(kernel.inputs[Math.min(i, kernel.inputs.length - 1)], v.dtype, `input ${i}`);
    });
    if (n.inputs.length > kernel.inputs.length && kernel.inputs.length > 1) problems.push(`${where}: ${n.inputs.length} inputs`);
    n.outputs.forEach((v, i) => {
      if (i >= kernel.outputs.length) problems.push(`${where}: output ${i} beyond the kernel's`);
      else check(kernel.outputs[i], v.dtype, `output ${i}`);
    });
  }
  return problems;
}

/** The graph as ORT receives it: serialised (opset 17) and parsed back; the same node types in the same order. */
function roundTrip(graph: Graph): Graph {
  const m = loadModel(serializeModel(graph));
  expect(m.opset).toBe(17);
  expect(OPSET).toBe(17);
  expect(m.graph.nodes.map((n) => `${n.domain}|${n.opType}`)).toStrictEqual(graph.nodes.map((n) => `${n.domain}|${n.opType}`));
  // Attributes (training_mode among them) come back from the bytes, so check BN there too.
  for (const n of m.graph.nodes) if (n.opType === 'BatchNormalization') expect(n.attr('training_mode', 0), n.name).toBe(0);
  return m.graph;
}

const base = tinyByol({ dtype: 'float32' });

const optimizers: OptimizerConfig[] = [
  { type: 'adamw', betas: [0.9, 0.999], eps: 1e-8 },
  { type: 'sgd', momentum: 0.9 },
  { type: 'lars', momentum: 0.9, eta: 0.001 },
];

describe('CUDA-provider op coverage (float32, opset 17)', () => {
  it('the checker passes a clean graph and reports each kind of problem', () => {
    const g = new GraphBuilder('probe');
    g.output(g.op.relu(g.input('x', 'float32', [2, 3, 4])), 'y');
    expect(cudaProblems(g.build())).toStrictEqual([]);
    const v = (name: string, dtype: DType) => new Value(name, dtype, [2]);
    const graphOf = (...nodes: Node[]): Graph => ({ name: 'probe', inputs: [], initializers: [], nodes, outputs: [] });
    const f = v('f', 'float32');
    expect(cudaProblems(graphOf(new Node('Erf', 'n', [f], [v('o', 'float32')], {})))).toStrictEqual(['Erf n: no CUDA kernel listed']);
    expect(cudaProblems(graphOf(new Node('Relu', 'n', [v('i', 'int64')], [v('o', 'int64')], {})))).toStrictEqual([
      'Relu n: input 0 is int64, CUDA 14+ has T = float64|float32|float16',
      'Relu n: output 0 is int64, CUDA 14+ has T = float64|float32|float16',
    ]);
    expect(cudaProblems(graphOf(new Node('Add', 'n', [f, v('d', 'float64')], [v('o', 'float32')], {})))).toStrictEqual([
      'Add n: input 1 is float64 but T is float32',
    ]);
    expect(cudaProblems(graphOf(new Node('Conv', 'n', [f, f], [v('o', 'float32')], {}, 'com.microsoft')))).toStrictEqual([
      "Conv n: domain 'com.microsoft'",
    ]);
    const bn = new Node('BatchNormalization', 'n', [f, f, f, f, f], [v('o', 'float32')], { training_mode: { type: 'int', value: 1 } });
    expect(cudaProblems(graphOf(bn))).toStrictEqual(['BatchNormalization n: training_mode=1']);
  });

  for (const optimizer of optimizers) {
    it(`BYOL train step, ${optimizer.type}`, () => {
      const ir = buildTrainStep({ ...base, optimizer }).graph;
      roundTrip(ir);
      expect(ir.nodes.some((n) => n.opType === 'Conv')).toBe(true);
      expect(cudaProblems(ir)).toStrictEqual([]);
    });
  }

  it('BYOL train step, joint BN statistics and GroupNorm + weight standardisation', () => {
    for (const cfg of [
      { ...base, bnStatistics: 'joint' as const },
      { ...base, encoder: resnetPreset(18, { widths: [8, 8, 16, 16], norm: { kind: 'group', groups: 4 } }) },
    ]) {
      const ir = buildTrainStep(cfg).graph;
      roundTrip(ir);
      expect(cudaProblems(ir)).toStrictEqual([]);
    }
  });

  it('BYOL train step, every convolution-gradient formulation', () => {
    const inputs: ConvInputGrad[] = ['conv-flipped', 'conv-transpose', 'subpixel', 'gemm-col2im', 'auto'];
    const weights: ConvWeightGrad[] = ['im2col-gemm', 'im2col-conv', 'conv-nc', 'auto'];
    for (const input of inputs)
      for (const weight of weights) {
        const ir = buildTrainStep({ ...base, optimizer: { type: 'sgd', momentum: 0.9 }, conv: { input, weight } }).graph;
        expect(cudaProblems(ir), `${input} / ${weight}`).toStrictEqual([]);
      }
  });

  it('inference encoder (BN folded, and unfolded BN in inference form)', () => {
    const specs = buildTrainStep(base).specs;
    const all = initParams(specs, 1);
    const params = Object.fromEntries(
      Object.entries(all)
        .filter(([name]) => name.startsWith('online.encoder.'))
        .map(([name, t]) => [name.slice('online.encoder.'.length), t]),
    );
    for (const foldBn of [true, false]) {
      const ir = buildEncoder(base.encoder, params, { spatial: [16, 16, 16], foldBn });
      roundTrip(ir);
      expect(ir.nodes.some((n) => n.opType === 'BatchNormalization')).toBe(!foldBn);
      expect(cudaProblems(ir)).toStrictEqual([]);
    }
  });
});

describe('ops/batch-norm.ts', () => {
  function bnInputs(g: GraphBuilder) {
    const x = g.input('x', 'float32', [2, 3, 4, 4, 4]);
    const c = (v: number) => g.constant(tensor('float32', [3], [v, v, v]));
    return [x, c(1), c(0), c(0), c(1)] as const;
  }

  it('refuses training_mode != 0 when the graph is built', () => {
    const g = new GraphBuilder('bn');
    expect(() => g.emit('BatchNormalization', [...bnInputs(g)], { training_mode: 1 })).toThrow(GraphError);
  });

  it('accepts inference form (training_mode absent or 0)', () => {
    const g = new GraphBuilder('bn');
    const ins = bnInputs(g);
    expect(g.emit('BatchNormalization', [...ins], { training_mode: 0 })[0].shape).toStrictEqual([2, 3, 4, 4, 4]);
    expect(g.op.batchNormalization(...ins).shape).toStrictEqual([2, 3, 4, 4, 4]);
  });
});
