import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  test: {
    name: 'web',
    root,
    include: ['src/**/*.spec.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
