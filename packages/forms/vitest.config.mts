import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Resolve `include` from this package even when vitest runs from the repository root.
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: { name: 'forms', include: ['src/**/*.spec.ts'], environment: 'node', testTimeout: 30_000 },
});
