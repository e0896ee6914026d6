import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';
import { approve, finished, instanceOf, makeDue, pendingTasks, until } from './support/wf-runtime';
import { approval, edge, endNode, startNode } from './support/workflows';

/**
 * The reliability cases on the embedded mode (SQLite, in-process jobs) and on MariaDB +
 * Redis (BullMQ) with DATABASE_URL / REDIS_URL: concurrent all-must-agree approvals, double
 * decisions, a deadline racing an approval, delayed work across a restart, actions exactly
 * once (a real HTTP receiver), loops refused, a version change while instances run.
 */
const LOOPS = Number(process.env.WF_LOOPS ?? 100);

let api: TestApi;
let db: Db;
let admin: Client;
let entity: any;
const m = {} as Record<'rep' | 'a1' | 'a2' | 'other', SeededMember>;
const c = {} as Record<keyof typeof m, Client>;
let receiver: Server;
let receiverUrl: string;
const received: { key: string; body: any }[] = [];
let failFirst = 0;

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const ch of req) chunks.push(ch as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString() || '{}');
}

async function publish(name: string, graph: unknown, startOn = 'manual'): Promise<any> {
  const w = await admin.post(`/api/entities/${entity.id}/workflows`, { name, startOn, graph });
  expect(w.body.draft?.problems, JSON.stringify(w.body)).toEqual([]);
  expect((await admin.post(`/api/workflows/${w.body.id}/publish`)).status).toBe(200);
  return w.body;
}

/** Only one workflow of the entity starts on create: the others are set to manual. */
async function only(w: any): Promise<void> {
  const all = (await admin.get(`/api/entities/${entity.id}/workflows`)).body.items;
  for (const x of all) if (x.id !== w.id && x.startOn === 'create') await admin.patch(`/api/workflows/${x.id}`, { startOn: 'manual' });
  if (w.startOn !== 'create') expect((await admin.patch(`/api/workflows/${w.id}`, { startOn: 'create' })).status).toBe(200);
  w.startOn = 'create';
}

const create = async (values: Record<string, unknown> = {}) => (await c.rep.post(`/api/entities/${entity.id}/records`, { title: 't', ...values })).body;

beforeAll(async () => {
  api = await startApi({ env: { JOBS_CONSUME: 'on', JOBS_POLL_MS: '50', JOBS_SWEEP_SECONDS: '1', JOBS_LEASE_SECONDS: '3' } });
  db = api.app.get(Db);
  admin = api.admin;
  const org = await OrgSeed.of(api);
  for (const k of ['rep', 'a1', 'a2', 'other'] as const) {
    m[k] = await org.member(k);
    c[k] = await org.login(m[k]);
  }
  entity = await makeEntity(admin, [
    { key: 'title', label: 'Title', type: 'text' },
    { key: 'amount', label: 'Amount', type: 'number' },
    { key: 'stage', label: 'Stage', type: 'text' },
  ]);
  await admin.post(`/api/entities/${entity.id}/permission-groups`, { preset: 'manage_all', members: [m.rep.id] });
  receiver = createServer(async (req, res) => {
    const body = await readBody(req);
    if (failFirst > 0) {
      failFirst--;
      res.writeHead(503).end();
      return;
    }
    received.push({ key: String(req.headers['idempotency-key']), body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
}, 120_000);
afterAll(async () => {
  receiver?.close();
  await api?.close();
});

describe('workflow reliability', () => {
  it(`two assignees of an all-must-agree node approve at the same instant, ${LOOPS} times: one transition each time, both approvals kept`, async () => {
    const w = await publish('All agree', {
      nodes: [startNode, { id: 'all', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a1.id, m.a2.id] }], { mode: 'all' }) }, endNode],
      edges: [edge('start', 'all'), edge('all', 'end')],
    });
    await only(w);
    for (let i = 0; i < LOOPS; i++) {
      const rec = await create();
      const tasks = await pendingTasks(db, entity.id, rec.id, 2);
      const by = (id: string) => (tasks.find((t) => t.assignee_id === id) as { id: string }).id;
      const [r1, r2] = await Promise.all([approve(c.a1, by(m.a1.id)), approve(c.a2, by(m.a2.id))]);
      expect([r1.status, r2.status]).toEqual([200, 200]);
      const inst = await finished(db, tasks[0].instance_id);
      expect(inst.status).toBe('approved');
      const lines = await db.query<{ kind: string }>('SELECT kind FROM workflow_timeline WHERE instance_id = ?', [tasks[0].instance_id]);
      expect(lines.filter((l) => l.kind === 'approve')).toHaveLength(2);
      expect(lines.filter((l) => l.kind === 'finished')).toHaveLength(1);
      const state = JSON.parse(inst.state);
      expect(state.tasks.map((t: any) => t.status).sort()).toEqual(['approved', 'approved']);
    }
  }, 600_000);

  it('the same decision sent twice at once: one effect, the other answers already decided', async () => {
    const w = await publish('Once', {
      nodes: [startNode, { id: 'a', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a1.id] }]) }, endNode],
      edges: [edge('start', 'a'), edge('a', 'end')],
    });
    await only(w);
    const rec = await create();
    const [t] = await pendingTasks(db, entity.id, rec.id, 1);
    const answers = await Promise.all([approve(c.a1, t.id), approve(c.a1, t.id), approve(c.a1, t.id)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.code).toBe('ALREADY_DECIDED');
    const lines = await db.query<{ kind: string }>('SELECT kind FROM workflow_timeline WHERE instance_id = ?', [t.instance_id]);
    expect(lines.filter((l) => l.kind === 'approve')).toHaveLength(1);
    expectProblem(await approve(c.a2, t.id), 404, 'TASK_NOT_FOUND');
  });

  it('a deadline that fires at the same moment as the approval: one outcome, consistent; delayed work survives a restart', async () => {
    const w = await publish('Deadline', {
      nodes: [
        startNode,
        {
          id: 'a',
          type: 'approval',
          settings: approval([{ kind: 'members', ids: [m.a1.id] }], { deadline: { after: { amount: 1, unit: 'minutes' }, action: 'autoApprove' } }),
        },
        endNode,
      ],
      edges: [edge('start', 'a'), edge('a', 'end')],
    });
    await only(w);
    for (let i = 0; i < 10; i++) {
      const rec = await create();
      const [t] = await pendingTasks(db, entity.id, rec.id, 1);
      await until(async () => (await db.query("SELECT id FROM jobs WHERE name = 'workflow.timer' AND status = 'pending'")).length > 0, 'the deadline job');
      const [res] = await Promise.all([approve(c.a1, t.id), makeDue(db, 'workflow.timer')]);
      expect([200, 409]).toContain(res.status);
      const inst = await finished(db, t.instance_id);
      expect(inst.status).toBe('approved');
      const state = JSON.parse(inst.state);
      expect(state.tasks).toHaveLength(1);
      expect(state.tasks[0].status).toBe('approved');
      const decided = await db.query<{ status: string; decided_by: string | null }>('SELECT status, decided_by FROM workflow_tasks WHERE id = ?', [t.id]);
      expect(decided[0].status).toBe('approved');
      expect(res.status === 200 ? decided[0].decided_by : 'system').toBe(res.status === 200 ? m.a1.id : 'system');
      await until(
        async () => (await db.query("SELECT id FROM jobs WHERE name = 'workflow.timer' AND status <> 'done'")).length === 0,
        'the timer job to finish',
      );
    }
    // a deadline pending while the server restarts still fires (the job is a row, not memory)
    const rec = await create();
    const [t] = await pendingTasks(db, entity.id, rec.id, 1);
    await until(async () => (await db.query("SELECT id FROM jobs WHERE name = 'workflow.timer' AND status = 'pending'")).length > 0, 'the deadline job');
    api = await api.restart();
    db = api.app.get(Db);
    admin = api.admin;
    for (const k of Object.keys(c) as (keyof typeof c)[]) {
      const next = api.client();
      next.cookie = c[k].cookie; // sessions are rows: they outlive the process
      c[k] = next;
    }
    await makeDue(db, 'workflow.timer');
    const inst = await finished(db, t.instance_id);
    expect(inst.status).toBe('approved');
    expect(JSON.parse(inst.state).tasks[0].decidedBy).toBe('system');
  }, 300_000);

  it('a webhook step that fails first is retried with the same Idempotency-Key; a create-record step creates exactly one record', async () => {
    const w = await publish('Hooks', {
      nodes: [
        startNode,
        {
          id: 'hook',
          type: 'action',
          settings: { action: { kind: 'webhook', url: receiverUrl, method: 'POST', body: { title: { var: 'title' } } }, onError: 'stop' },
        },
        {
          id: 'copy',
          type: 'action',
          settings: { action: { kind: 'createRecord', entity: entity.id, values: { title: { var: 'title' }, stage: 'copy' } }, onError: 'stop' },
        },
        endNode,
      ],
      edges: [edge('start', 'hook'), edge('hook', 'copy'), edge('copy', 'end')],
    });
    await only(w);
    received.length = 0;
    failFirst = 1;
    const rec = await create({ title: 'hooked' });
    const inst = await instanceOf(db, entity.id, rec.id);
    const done = await finished(db, inst.id);
    expect(done.status).toBe('approved');
    expect(received).toHaveLength(1);
    expect(received[0].body.data).toEqual({ title: 'hooked' });
    expect(received[0].key).toMatch(new RegExp(`^${inst.id}:`));
    const list = (await c.rep.get(`/api/entities/${entity.id}/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'stage' }, 'copy'] }))}`))
      .body;
    expect(list.items.filter((r: any) => r.title === 'hooked')).toHaveLength(1);
    const runs = await db.query<{ status: string }>('SELECT status FROM workflow_node_runs WHERE instance_id = ?', [inst.id]);
    expect(runs.map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('a loop through a condition that never changes is refused at design time', async () => {
    const w = (await admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Loop', startOn: 'manual' })).body;
    const loop = {
      nodes: [
        startNode,
        { id: 'b', type: 'branch', settings: {} },
        { id: 'cc', type: 'cc', settings: { assignees: [{ kind: 'members', ids: [m.a1.id] }], fields: {} } },
        endNode,
      ],
      edges: [edge('start', 'b'), edge('b', 'cc', { condition: { '>': [{ var: 'amount' }, 1] } }), edge('b', 'end', { isDefault: true }), edge('cc', 'b')],
    };
    const saved = await admin.request('PUT', `/api/workflows/${w.id}/draft`, { graph: loop });
    expect(saved.body.draft.problems.map((p: any) => p.code)).toContain('ENDLESS_LOOP');
    expectProblem(await admin.post(`/api/workflows/${w.id}/publish`), 400, 'INVALID_GRAPH');
  });

  it('a published version changed while instances run: every one finishes on its own version', async () => {
    const g1 = {
      nodes: [startNode, { id: 'a', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a1.id] }]) }, endNode],
      edges: [edge('start', 'a'), edge('a', 'end')],
    };
    const w = await publish('Versions', g1);
    await only(w);
    const N = Math.min(LOOPS, 100);
    const v1recs = [];
    for (let i = 0; i < N; i++) v1recs.push(await create());
    const v1tasks = [];
    for (const r of v1recs) v1tasks.push((await pendingTasks(db, entity.id, r.id, 1))[0]);
    const g2 = {
      nodes: [...g1.nodes.slice(0, 2), { id: 'b', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a2.id] }]) }, endNode],
      edges: [edge('start', 'a'), edge('a', 'b'), edge('b', 'end')],
    };
    expect((await admin.request('PUT', `/api/workflows/${w.id}/draft`, { graph: g2 })).status).toBe(200);
    expect((await admin.post(`/api/workflows/${w.id}/publish`)).body.version).toBe(2);
    const v2rec = await create();
    const [v2task] = await pendingTasks(db, entity.id, v2rec.id, 1);
    for (const t of v1tasks) expect((await approve(c.a1, t.id)).status).toBe(200);
    for (const t of v1tasks) {
      const inst = await finished(db, t.instance_id);
      expect({ status: inst.status, version: Number(inst.version), path: JSON.parse(inst.state).path }).toEqual({
        status: 'approved',
        version: 1,
        path: ['start', 'a', 'end'],
      });
    }
    expect((await approve(c.a1, v2task.id)).body.openTasks.map((x: any) => x.nodeId)).toEqual(['b']);
  }, 300_000);
});
