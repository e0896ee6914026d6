#!/usr/bin/env node
// Benchmark of the pure workflow engine: instances through the 4-node approval graph of issue 11
// (a branch, an all-must-agree node of 3, an automatic action, the end), in memory — what one
// transition costs the runtime before any SQL. Beside it, from the same run, the baseline the
// runtime pays anyway per transition: the instance state read from JSON and written back
// (JSON.parse + JSON.stringify of the same states).
//
//   node packages/workflow/bench/engine.mjs [--instances N] [--runs N]
//
// Needs the built package (npm run build). Prints transitions/s and the ratio; see docs/performance.md.
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const { startInstance, applyEventOrThrow } = require(resolve(here, '../dist/index.js'));

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const INSTANCES = arg('instances', 10_000);
const RUNS = arg('runs', 3);

const approval = (assignees, mode) => ({
  assignees,
  mode,
  fields: {},
  withdraw: 'untilFirstDecision',
  whenNobody: 'admins',
  allowReturn: true,
  allowTransfer: true,
  allowAddApprover: true,
  requireSignature: false,
});
const graph = {
  nodes: [
    { id: 'start', type: 'start', settings: { fields: {} } },
    { id: 'branch', type: 'branch', settings: {} },
    { id: 'finance', type: 'approval', settings: approval([{ kind: 'roles', ids: ['finance'] }], 'all') },
    { id: 'manager', type: 'approval', settings: approval([{ kind: 'submitterHead', levels: 1 }], 'any') },
    { id: 'mark', type: 'action', settings: { action: { kind: 'setFields', values: { status: 'approved' } }, onError: 'stop' } },
    { id: 'end', type: 'end', settings: { outcome: 'approved' } },
  ],
  edges: [
    { id: 'e1', from: 'start', to: 'branch' },
    { id: 'e2', from: 'branch', to: 'finance', condition: { '>': [{ var: 'amount' }, 10000] } },
    { id: 'e3', from: 'branch', to: 'manager', isDefault: true },
    { id: 'e4', from: 'finance', to: 'mark' },
    { id: 'e5', from: 'manager', to: 'mark' },
    { id: 'e6', from: 'mark', to: 'end' },
  ],
};
const finance = ['f1', 'f2', 'f3'];
const resolver = {
  resolve: ({ rules }) => (rules[0].kind === 'roles' ? finance : ['manager']),
  workflowAdmins: () => ['admin'],
  canResolve: () => true,
};
const context = { record: { amount: 20000 }, resolver };

/** One instance start to end: submit, three approvals, the action's result. Returns the transitions and the states seen. */
function runInstance(i, t0, keep) {
  let clock = t0;
  const at = () => new Date((clock += 1000)).toISOString();
  let r = startInstance({
    graph,
    instance: { instanceId: `i${i}`, workflowId: 'w', version: 1, recordId: `r${i}`, submitterId: 'rep' },
    event: { id: `i${i}:submit`, at: at() },
    context,
  });
  if (keep) keep.push(r.state);
  let n = 1;
  for (const f of finance) {
    const task = r.state.tasks.find((t) => t.assignee === f && t.status === 'pending');
    r = applyEventOrThrow({ graph, state: r.state, event: { type: 'approve', id: `i${i}:${f}`, at: at(), taskId: task.id, actor: f }, context });
    if (keep) keep.push(r.state);
    n++;
  }
  const action = r.effects.find((e) => e.type === 'runAction');
  r = applyEventOrThrow({ graph, state: r.state, event: { type: 'actionFinished', id: `i${i}:done`, at: at(), key: action.key, ok: true }, context });
  if (keep) keep.push(r.state);
  if (r.state.status !== 'approved') throw new Error(`instance ${i} ended ${r.state.status}`);
  return n + 1;
}

const states = [];
for (let i = 0; i < 200; i++) runInstance(i, Date.UTC(2026, 0, 1), states);

console.log(
  `workflow engine bench: ${INSTANCES} instances × 5 transitions, ${RUNS} runs, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`,
);
for (let run = 1; run <= RUNS; run++) {
  let transitions = 0;
  const t = process.hrtime.bigint();
  for (let i = 0; i < INSTANCES; i++) transitions += runInstance(i, Date.UTC(2026, 0, 1));
  const engineS = Number(process.hrtime.bigint() - t) / 1e9;
  // Baseline: the same number of state loads and stores (parse + stringify of states of the same shape).
  const texts = states.map((s) => JSON.stringify(s));
  const b = process.hrtime.bigint();
  let bytes = 0;
  for (let k = 0; k < transitions; k++) bytes += JSON.stringify(JSON.parse(texts[k % texts.length])).length;
  const baseS = Number(process.hrtime.bigint() - b) / 1e9;
  const engineRate = transitions / engineS;
  const baseRate = transitions / baseS;
  console.log(
    `run ${run}: engine ${Math.round(engineRate).toLocaleString('en-US')} transitions/s · baseline JSON load+store ${Math.round(baseRate).toLocaleString('en-US')}/s (${Math.round(bytes / transitions)} B/state) · ratio ${(engineRate / baseRate).toFixed(2)}×`,
  );
}
