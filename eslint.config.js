// ESLint flat config: typescript-eslint's recommended rules for the TypeScript sources and tests,
// eslint-plugin-svelte's recommended rules for the renderer's components. (no-undef is off, as
// typescript-eslint advises for TypeScript: the compiler checks names, so no globals lists are needed.)
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import { layersPlugin } from './eslint.layers.js';

// ---- native-models layers (block owned by the engine engineer; native-models/README.md "Layers") --------------
// Each folder of native-models/ may import only the folders listed for it (and itself); nothing in native-models
// imports app/ or renderer/ or the public module index.ts; protobuf only in onnx/, onnxruntime only in runtime/.
// Flat config replaces (not merges) a rule's options per file, so each folder gets one complete pattern list.
const NATIVE_MODELS_LAYERS = {
  ir: [],
  onnx: ['ir'],
  runtime: ['ir', 'onnx'],
  io: ['ir'],
  ops: ['ir'],
  autodiff: ['ir', 'ops', 'runtime'],
  passes: ['ir', 'ops'],
  models: ['ir', 'ops'],
  optim: ['ir', 'ops'],
  init: ['ir', 'io', 'models'],
  tuning: ['ir', 'ops', 'runtime'],
  graphs: ['ir', 'onnx', 'runtime', 'io', 'ops', 'autodiff', 'passes', 'models', 'optim', 'init', 'tuning', 'graphs'],
};
const nmOutside = { regex: '^(\\.\\./)+(app|renderer)(/|$)', message: 'native-models imports nothing from app/ or renderer/ (DESIGN §3).' };
function nativeModelsLayerBlocks() {
  const folders = Object.keys(NATIVE_MODELS_LAYERS);
  const blocks = Object.entries(NATIVE_MODELS_LAYERS).map(([folder, allowed]) => {
    const forbidden = folders.filter((f) => f !== folder && !allowed.includes(f));
    const patterns = [
      nmOutside,
      { regex: '^\\.\\./index(\\.js)?$', message: 'native-models/index.ts is the public module for the app; engine folders import each other directly.' },
      ...(forbidden.length
        ? [{ regex: `^\\.\\./(${forbidden.join('|')})(/|$)`, message: `native-models/${folder} may import only ${allowed.length ? allowed.join(', ') : 'nothing else in native-models'} (layers: native-models/README.md).` }]
        : []),
      ...(folder === 'onnx' ? [] : [{ regex: '^protobufjs(/|$)', message: 'protobuf appears in native-models/onnx only.' }]),
      ...(folder === 'runtime' ? [] : [{ regex: '^onnxruntime-(node|web|common)(/|$)', message: 'onnxruntime is used from native-models/runtime only.' }]),
    ];
    return { files: [`native-models/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
  return [{ files: ['native-models/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [nmOutside] }] } }, ...blocks];
}
// ---- end of the native-models block -------------------------------------------------------------------------

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'tests/.tmp/**', 'release/**', 'test-results/**', 'playwright-report/**', 'bench/.out/**'],
  },
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  ...nativeModelsLayerBlocks(),
  // The app's layers (eslint.layers.js): contract, services and their domains, transports, renderer.
  {
    files: ['app/**/*.ts', 'app/**/*.cts', 'renderer/**/*.ts', 'renderer/**/*.svelte'],
    ignores: ['renderer/vite.config.ts'], // build configuration, runs in Node
    plugins: { voxelbase: layersPlugin },
    rules: { 'voxelbase/layers': 'error' },
  },
);
