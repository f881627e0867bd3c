// Vitest: unit tests (tests/unit, mirroring the source tree) and integration tests on real files
// (tests/integration). Forked processes isolate native modules (better-sqlite3, onnxruntime-node).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'tests/.tmp/**', 'tests/e2e/**'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
