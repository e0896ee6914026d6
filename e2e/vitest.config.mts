import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The repo root, so `include` reads the same whether vitest starts in / or in e2e/.
const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    name: 'e2e',
    root,
    include: ['e2e/tests/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // A browser on a loaded 2-core machine (CI runs the suite beside MariaDB and Redis) can take
    // seconds to draw the next step; expect.poll's default of 1 s failed there (the import
    // wizard's second step under load). Only a failing poll waits this long.
    expect: { poll: { timeout: 10_000 } },
  },
});
