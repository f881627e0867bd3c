// The exported safetensors load with strict=True into MONAI's 3D ResNet (the module redefined faithfully in
// reference/monai_resnet.py, since MONAI is not installed; Debian's python3-torch), with exactly its keys, shapes
// and dtypes, and that module's eval-mode features equal the exported ONNX model's, run in onnxruntime-node, within
// 1e-4 of the largest feature, for ResNet-10 and ResNet-50, both shortcut types, MONAI and MedicalNet key names.
// The plain-PyTorch network of examples/finetune_monai.py (what it uses without MONAI) gives the same features.
// Narrow widths (block_inplanes 8-16) and 16^3 boxes keep it to seconds.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphSession, loadModel, Philox, type ResNetConfig, type ResNetDepth } from '../../../../../native-models/index.js';
import { writeEncoderExport } from '../../../../../app/services/export/export-encoder.js';
import type { KeyStyle } from '../../../../../app/services/export/monai-state-dict.js';
import { trainedSource } from './support/trained-source.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(HERE, '../../../../..');
const LOADER = path.join(HERE, 'reference/load_export.py');
const EXAMPLE = path.join(ROOT, 'examples/finetune_monai.py');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-export-parity-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Case { depth: ResNetDepth; over: Partial<ResNetConfig>; keys: KeyStyle; trained: boolean; size: number }

const cases: Case[] = [
  { depth: 10, over: { shortcut: 'B', biasDownsample: true }, keys: 'monai', trained: true, size: 16 },
  { depth: 10, over: { shortcut: 'A', conv1Stride: 1, noMaxPool: true }, keys: 'monai', trained: false, size: 12 },
  { depth: 50, over: { shortcut: 'B', biasDownsample: false }, keys: 'medicalnet', trained: false, size: 16 },
  { depth: 50, over: { shortcut: 'A' }, keys: 'monai', trained: false, size: 16 },
];

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / scale;
}

describe('export: MONAI ResNet parity (PyTorch oracle vs ONNX in onnxruntime-node)', () => {
  for (const c of cases) {
    it(`resnet${c.depth} shortcut ${c.over.shortcut} ${c.keys} keys${c.trained ? ' (trained runner)' : ''}`, async () => {
      const src = await trainedSource({ depth: c.depth, over: c.over, size: c.size, trained: c.trained, steps: 2 });
      const out = path.join(tmp, `r${c.depth}-${c.over.shortcut}-${c.keys}`);
      const res = await writeEncoderExport(src, out, { formats: ['onnx', 'safetensors', 'card'], keys: c.keys, version: '0.1.0-test' });
      expect(fs.readdirSync(out).sort()).toEqual(['encoder.onnx', 'encoder.safetensors', 'heads.safetensors', 'model-card.json', 'model-card.md']);
      expect(res.card.verification!.maxRelDiff).toBeLessThan(1e-5);

      // ONNX: opset 17, symbolic batch, metadata props; run at batch 3 on a seeded input.
      const bytes = fs.readFileSync(path.join(out, 'encoder.onnx'));
      const model = loadModel(bytes);
      expect(model.opset).toBe(17);
      expect(model.graph.inputs.map((v) => [v.name, v.shape])).toEqual([['image', ['batch', 1, c.size, c.size, c.size]]]);
      expect(model.graph.outputs[0].shape).toEqual(['batch', res.card.architecture.featureDim]);
      expect(model.graph.nodes.some((n) => n.opType === 'BatchNormalization')).toBe(false);
      expect(JSON.parse(model.metadata['input.box'])).toEqual([c.size, c.size, c.size]);
      expect(JSON.parse(model.metadata['input.spacing_mm'])).toEqual([2, 2, 2]);
      expect(model.metadata['input.orientation']).toBe('RAS');
      expect(model.metadata['voxelbase.run']).toBe('7');
      const n = 3;
      const dims = [n, 1, c.size, c.size, c.size];
      const r = new Philox(99);
      const x = new Float32Array(dims.reduce((p, q) => p * q, 1));
      for (let i = 0; i < x.length; i++) x[i] = r.normal();
      const s = await GraphSession.create(bytes, { intraOpNumThreads: 2 });
      const onnx = (await s.run({ image: { dtype: 'float32', dims, data: x } }, ['embedding'])).embedding;
      await s.release();
      expect(onnx.dims).toEqual([n, res.card.architecture.featureDim]);

      const input = path.join(out, '..', `x-${c.depth}-${c.over.shortcut}.f32`);
      fs.writeFileSync(input, Buffer.from(x.buffer));
      const py = JSON.parse(execFileSync('/usr/bin/python3', [LOADER, out, input, ...dims.map(String), EXAMPLE], { encoding: 'utf8', maxBuffer: 1 << 26 })) as {
        keys: number; features: number[]; shape: number[]; example: number[]; meta: Record<string, string>;
      };
      expect(py.shape).toEqual(onnx.dims);
      expect(py.keys).toBe(Object.keys(src.encoder).length);
      expect(py.meta['monai.constructor']).toBe(`monai.networks.nets.${res.card.architecture.monai!.call}`);
      const d = relDiff(onnx.data as Float32Array, py.features);
      expect(d).toBeLessThan(1e-4);
      expect(relDiff(py.example, py.features)).toBeLessThan(1e-6);
      // The features are not trivially equal (e.g. all zero): samples differ.
      expect(relDiff(py.features.slice(0, onnx.dims[1]), py.features.slice(onnx.dims[1], 2 * onnx.dims[1]))).toBeGreaterThan(1e-3);
    }, 120_000);
  }
});
