#!/usr/bin/env node
// Structure checks of the API that ESLint and dependency-cruiser do not express (part of `npm run lint`):
// - every folder of apps/api/src/modules has a layer in tools/api-layers.cjs (an unlisted module
//   would escape the layer rules);
// - @Global() only on the few cross-cutting modules (configuration, database, audit log).
// Prints each problem and exits 1 when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { LAYERS } = createRequire(import.meta.url)('./api-layers.cjs');
const modulesDir = join(root, 'apps/api/src/modules');
const GLOBAL_ALLOWED = new Set(['apps/api/src/kernel.module.ts', 'apps/api/src/database/database.module.ts', 'apps/api/src/modules/audit/audit.module.ts']);

const problems = [];
const layered = new Set(LAYERS.flat());
for (const name of readdirSync(modulesDir)) {
  if (statSync(join(modulesDir, name)).isDirectory() && !layered.has(name))
    problems.push(`apps/api/src/modules/${name}: no layer in tools/api-layers.cjs (add it to the layer it belongs to)`);
}

const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
for (const file of walk(join(root, 'apps/api/src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
  const rel = relative(root, file);
  if (/@Global\(\)/.test(readFileSync(file, 'utf8')) && !GLOBAL_ALLOWED.has(rel))
    problems.push(`${rel}: @Global() is kept for configuration, database and audit; import the module where it is needed instead`);
}

for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
