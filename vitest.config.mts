import { defineConfig } from 'vitest/config';

// One run over every suite, so `npm test` can print a single "N passed, N failed" line.
export default defineConfig({
  test: {
    projects: ['packages/schema', 'packages/rules', 'packages/access', 'packages/forms', 'packages/import', 'packages/workflow', 'apps/web', 'apps/api', 'e2e'],
  },
});
