import js from '@eslint/js';
import i18next from 'eslint-plugin-i18next';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Upper-case SQL words in a string: SQL text, which lives only in repositories (docs/architecture.md).
const SQL = String.raw`\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|FROM|WHERE|JOIN|ORDER BY|GROUP BY|LIMIT|IS NULL|IS NOT NULL|FOR UPDATE|CREATE|ALTER TABLE|DROP)\b`;
const sqlOutsideRepositories = {
  message: 'SQL belongs in a repository (*.repository.ts) behind a named method; services and helpers call the method',
};

const forbiddenInPackages = ['@nestjs/*', 'typeorm', 'react', 'react-dom', 'mysql2', 'mysql2/*', 'better-sqlite3', 'ioredis', 'bullmq', 'express'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'bench-results/**', 'data/**', 'packages/api-client/src/openapi.d.ts'] },
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
    // SQL only in repositories and the database layer (Db, migrations).
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/**/*.repository.ts', 'apps/api/src/database/**', 'apps/api/src/**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=/${SQL}/]`, ...sqlOutsideRepositories },
        { selector: `TemplateElement[value.raw=/${SQL}/]`, ...sqlOutsideRepositories },
      ],
    },
  },
  {
    // Small units: no source file over 400 lines (tests, test helpers and benches excepted).
    files: ['apps/*/src/**/*.{ts,tsx}', 'packages/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.spec.tsx', 'packages/*/src/testing/**'],
    rules: {
      'max-lines': ['error', { max: 400 }],
    },
  },
  {
    // Small functions in the API: ~60 lines is the norm, 80 the limit.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/**/*.spec.ts', 'apps/api/src/database/migrations/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Every UI string comes from the locale files (apps/web/src/i18n/locales): no text in JSX,
    // and none in the attributes people read (labels, titles, placeholders).
    files: ['apps/web/src/**/*.tsx'],
    ignores: ['apps/web/src/**/*.spec.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': ['error', { mode: 'jsx-text-only' }],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'JSXAttribute[name.name=/^(aria-label|title|placeholder|label|alt|okText|cancelText|description|subTitle|tooltip|extra|content|message)$/] > Literal',
          message: 'UI text comes from the locale files: use t(...)',
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
  {
    // CommonJS scripts (test fixtures run as child processes).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
