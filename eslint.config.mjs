import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbiddenInPackages = ['@nestjs/*', 'typeorm', 'react', 'react-dom', 'mysql2', 'mysql2/*', 'better-sqlite3', 'ioredis', 'bullmq', 'express'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'bench-results/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // Module boundary (type:domain): pure packages never import a framework or a driver.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/*/src/**/*.spec.ts', 'packages/*/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbiddenInPackages.map((group) => ({
            group: [group],
            message: 'packages/* are pure: no Nest, TypeORM, React, Express or database drivers',
          })),
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/bench/**/*.{js,mjs}', 'tools/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        AbortController: 'readonly',
        Buffer: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
