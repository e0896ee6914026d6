#!/usr/bin/env node
// Builds everything, runs every test suite once (vitest projects), prints "N passed, N failed".
// With DATABASE_URL=mysql://… (and REDIS_URL) the API and browser suites run against MySQL/MariaDB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env, ...opts });

const mode = process.env.DATABASE_URL ? `MySQL (${process.env.DATABASE_URL.replace(/\/\/[^@]*@/, '//***@')})` : 'embedded SQLite';
console.log(`\n== Building (tests run against ${mode}) ==`);
const build = run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static']);
if (build.status !== 0) {
  console.log('\nBuild failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), 'crm-vitest-'));
const report = join(out, 'report.json');
console.log('\n== Running tests ==');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const tests = run('npx', args);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A suite that fails to load has no tests; count it as a failure so it cannot hide.
  for (const file of r.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed++;
  }
} else {
  failed = 1;
}
rmSync(out, { recursive: true, force: true });
if (tests.status !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
