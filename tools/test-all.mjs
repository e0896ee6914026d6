#!/usr/bin/env node
// Builds everything, runs the static checks (`npm run lint`: Prettier, ESLint with the API's
// layer, size and SQL rules, dependency-cruiser; `npm run typecheck`), then every test suite once
// (vitest projects), and prints "N passed, N failed": each check counts as one test, so a lint or
// type error fails the run like a failing test. With DATABASE_URL=mysql://… (and REDIS_URL) the
// API and browser suites run against MySQL/MariaDB.
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

// Static checks: each is one pass or one failure; the tests still run after a failed check.
const checks = [
  ['lint', ['run', 'lint']],
  ['typecheck', ['run', 'typecheck']],
];
let checksPassed = 0;
let checksFailed = 0;
for (const [name, args] of checks) {
  console.log(`\n== ${name} ==`);
  const r = run('npm', args);
  if (r.status === 0) checksPassed++;
  else {
    checksFailed++;
    console.log(`\n${name} failed`);
  }
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
passed += checksPassed;
failed += checksFailed;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
