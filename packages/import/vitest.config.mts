import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Resolve `include` from this package even when vitest runs from the repository root.
  root: fileURLToPath(new URL('.', import.meta.url)),
  // --expose-gc: the streaming tests measure the live heap right after a full collection.
  // 30 s per test: the round-trip properties take 4–5 s each on a loaded 2-core machine, over vitest's 5 s default.
  test: { name: 'import', include: ['src/**/*.spec.ts'], environment: 'node', execArgv: ['--expose-gc'], testTimeout: 30_000 },
});
