import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'schema',
    // Pinned so `vitest run --config packages/schema/vitest.config.mts` from the repo root works.
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.spec.ts'],
    environment: 'node',
    // Property tests loop over thousands of samples; a loaded machine must not fail them by time.
    testTimeout: 30_000,
  },
});
