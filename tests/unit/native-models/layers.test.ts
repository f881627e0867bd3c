// The native-models layer rules of eslint.config.js bite: deliberately bad imports, linted as if they were files in
// the engine's folders with ESLint's Node API, give no-restricted-imports errors, and the allowed direction does not.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });

async function restricted(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(root, file) });
  return r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('native-models layer rules (eslint.config.js)', () => {
  it.each([
    ['native-models/ir/bad.ts', "import { VoxelbaseError } from '../../app/contract/errors.js';", /nothing from app\//],
    ['native-models/graphs/bad.ts', "import { x } from '../../renderer/src/routes.js';", /nothing from app\/ or renderer\//],
    ['native-models/index.ts', "export { x } from '../app/services/index.js';", /nothing from app\//],
    ['native-models/ir/bad.ts', "import { OPS } from '../ops/registry.js';", /ir may import only nothing else/],
    ['native-models/ops/bad.ts', "import { gradients } from '../autodiff/gradients.js';", /ops may import only ir/],
    ['native-models/ops/bad.ts', "import { buildTrainStep } from '../graphs/train-step.js';", /ops may import only ir/],
    ['native-models/models/bad.ts', "import { inPlaceSafe } from '../passes/in-place.js';", /models may import only ir, ops/],
    ['native-models/passes/bad.ts', "import { buildEncoder } from '../graphs/encoder.js';", /passes may import only ir, ops/],
    ['native-models/runtime/bad.ts', "import type { GraphBuilder } from '../ops/builder.js';", /runtime may import only ir, onnx/],
    ['native-models/optim/bad.ts', "import { ByolTrainRunner } from '../index.js';", /public module/],
    ['native-models/ops/bad.ts', "import protobuf from 'protobufjs';", /protobuf appears in native-models\/onnx only/],
    ['native-models/graphs/bad.ts', "import * as ort from 'onnxruntime-node';", /runtime only/],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await restricted(file, code);
    expect(errors.length).toBe(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['native-models/ops/ok.ts', "import { GraphError } from '../ir/errors.js';\nimport { conv } from './conv.js';"],
    ['native-models/autodiff/ok.ts', "import { opByType } from '../ops/registry.js';\nimport { GraphSession } from '../runtime/session.js';"],
    ['native-models/graphs/ok.ts', "import { inPlaceSafe } from '../passes/in-place.js';\nimport { gradients } from '../autodiff/gradients.js';"],
    ['native-models/onnx/ok.ts', "import protobuf from 'protobufjs';"],
    ['native-models/runtime/ok.ts', "import * as ort from 'onnxruntime-node';"],
    ['native-models/index.ts', "export { buildTrainStep } from './graphs/train-step.js';"],
  ])('%s: allowed imports pass', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
