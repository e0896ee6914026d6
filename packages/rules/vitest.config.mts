import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Resolve `include` from this package even when vitest runs from the repository root.
  root: fileURLToPath(new URL('.', import.meta.url)),
  // 30 s per test: the property tests take 2–4 s each on a loaded 2-core machine, near vitest's 5 s default.
  test: { name: 'rules', include: ['src/**/*.spec.ts'], environment: 'node', testTimeout: 30_000 },
});
