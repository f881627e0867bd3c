// ESLint flat config: typescript-eslint's recommended rules for the TypeScript sources and tests,
// eslint-plugin-svelte's recommended rules for the renderer's components. (no-undef is off, as
// typescript-eslint advises for TypeScript: the compiler checks names, so no globals lists are needed.)
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';

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
);
