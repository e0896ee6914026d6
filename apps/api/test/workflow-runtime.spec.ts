import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';
import { approval, contractGraph, edge, endNode, startNode } from './support/workflows';

let api: TestApi;
let db: Db;
let admin: Client;
let entity: any;
let workflow: any;
const m = {} as Record<'rep' | 'manager' | 'fin1' | 'fin2' | 'other', SeededMember>;
const c = {} as Record<keyof typeof m, Client>;

/** Polls until fn returns something truthy (jobs run after commit); fails after 20 s. */
async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  const end = Date.now() + 20_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const todo = async (who: keyof typeof m) => (await c[who].get('/api/workflow-inbox?box=todo')).body.items as any[];
const taskOf = (who: keyof typeof m, recordId: number) =>
  until(async () => (await todo(who)).find((i) => i.recordId === recordId)?.task, `a task of ${who} on record ${recordId}`);

beforeAll(async () => {
  // With Redis the API only produces unless told to consume too (docs/jobs.md): this server runs the jobs itself.
  api = await startApi({ env: { JOBS_CONSUME: 'on' } });
  db = api.app.get(Db);
  admin = api.admin;
  const org = await OrgSeed.of(api);
  const finance = await org.role('Finance');
  m.manager = await org.member('Manager');
  const sales = await org.department('Sales', null, m.manager.id);
  m.rep = await org.member('Rep', { departments: [sales] });
  m.fin1 = await org.member('Fin one', { roles: [finance] });
  m.fin2 = await org.member('Fin two', { roles: [finance] });
  m.other = await org.member('Other');
  for (const k of Object.keys(m) as (keyof typeof m)[]) c[k] = await org.login(m[k]);
  entity = await makeEntity(admin, [
    { key: 'title', label: 'Title', type: 'text' },
    { key: 'amount', label: 'Amount', type: 'number' },
    { key: 'stage', label: 'Stage', type: 'text' },
    { key: 'note', label: 'Note', type: 'text' },
  ]);
  await admin.post(`/api/entities/${entity.id}/permission-groups`, { preset: 'manage_all', members: [m.rep.id] });
  const graph = contractGraph({ managerRule: { kind: 'submitterHead', levels: 1 }, financeRole: finance });
  const manager = graph.nodes.find((n) => n.id === 'manager')!;
  (manager.settings as any).fields = { note: 'editable', amount: 'visible', title: 'hidden' };
  workflow = (await admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Contract', graph })).body;
  expect(workflow.draft.problems).toEqual([]);
  expect((await admin.post(`/api/workflows/${workflow.id}/publish`)).status).toBe(200);
}, 120_000);
afterAll(async () => api?.close());

describe('workflow runtime', () => {
  it('a created record starts an instance; manager then finance (all must agree); the action marks the record; the rep is notified', async () => {
    const rec = (await c.rep.post(`/api/entities/${entity.id}/records`, { title: 'Big deal', amount: 20000 })).body;
    const t1 = await taskOf('manager', rec.id);
    expect(t1.nodeId).toBe('manager');
    // the manager's view: title hidden by the node, note editable, amount visible only
    const detail = (await c.manager.get(`/api/workflow-tasks/${encodeURIComponent(t1.id)}`)).body;
    expect(detail.record.title).toBeUndefined();
    expect(detail.record.amount).toBe(20000);
    expect(detail.editable).toEqual(['note']);
    expect(detail.actions).toEqual(expect.arrayContaining(['approve', 'reject', 'return', 'transfer']));
    // The manager has no right on the entity itself, yet the task names its fields (not the hidden title).
    expect((await c.manager.get(`/api/entities/${entity.id}`)).status).toBe(404);
    expect(detail.entity).toMatchObject({ id: entity.id, name: expect.any(String) });
    expect(detail.entity.fields.map((f: { key: string }) => f.key)).toEqual(['amount', 'stage', 'note']);
    const forbidden = expectProblem(
      await c.manager.patch(`/api/workflow-tasks/${encodeURIComponent(t1.id)}/record`, { amount: 1, note: 'ok' }),
      403,
      'FIELD_NOT_WRITABLE',
    );
    expect(forbidden.fields).toEqual(['amount']);
    const edited = await c.manager.patch(`/api/workflow-tasks/${encodeURIComponent(t1.id)}/record`, { note: 'checked' });
    expect(edited.status).toBe(200);
    expect(edited.body.note).toBe('checked');
    // someone else's task: 404, nothing changes
    expectProblem(await c.other.post(`/api/workflow-tasks/${encodeURIComponent(t1.id)}/approve`), 404, 'TASK_NOT_FOUND');
    const ok = await c.manager.post(`/api/workflow-tasks/${encodeURIComponent(t1.id)}/approve`, { comment: 'fine' });
    expect(ok.status).toBe(200);
    expect(ok.body.openTasks.map((t: any) => t.nodeId)).toEqual(['finance', 'finance']);
    expectProblem(await c.manager.post(`/api/workflow-tasks/${encodeURIComponent(t1.id)}/approve`), 409, 'ALREADY_DECIDED');
    const f1 = await taskOf('fin1', rec.id);
    const f2 = await taskOf('fin2', rec.id);
    const [a, b] = await Promise.all([
      c.fin1.post(`/api/workflow-tasks/${encodeURIComponent(f1.id)}/approve`),
      c.fin2.post(`/api/workflow-tasks/${encodeURIComponent(f2.id)}/approve`),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const inst = await until(async () => {
      const r = await c.rep.get(`/api/workflow-instances/${ok.body.instanceId}`);
      return r.body.status === 'approved' ? r.body : null;
    }, 'the instance to finish');
    expect(inst.path).toEqual(['start', 'branch', 'manager', 'finance', 'mark', 'end']);
    expect(inst.timeline.map((l: any) => l.kind)).toEqual(expect.arrayContaining(['submit', 'entered', 'approve', 'finished']));
    const record = (await c.rep.get(`/api/entities/${entity.id}/records/${rec.id}`)).body;
    expect(record.stage).toBe('approved');
    expect(record.note).toBe('checked');
    const notes = await until(async () => {
      const r = (await c.rep.get('/api/notifications')).body.items as any[];
      return r.some((n) => n.kind === 'finished') ? r : null;
    }, 'the finished notification');
    expect(notes.find((n) => n.kind === 'finished').data.instanceId).toBe(inst.id);
    const counts = (await c.rep.get('/api/workflow-inbox/counts')).body;
    expect(counts.unread).toBeGreaterThan(0);
    expect((await c.rep.post('/api/notifications/read', { all: true })).body.unread).toBe(0);
    expect((await c.rep.get('/api/workflow-inbox?box=started')).body.items.map((i: any) => i.instanceId)).toContain(inst.id);
    expect((await c.manager.get('/api/workflow-inbox?box=done')).body.items.map((i: any) => i.task.id)).toContain(t1.id);
    // exactly one action run, one instance for the record
    const runs = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM workflow_node_runs WHERE instance_id = ? AND status = 'done'", [inst.id]);
    expect(Number(runs[0].n)).toBe(1);
  });

  it('return to the start, resubmit, reject; withdraw and urge by the submitter only', async () => {
    const rec = (await c.rep.post(`/api/entities/${entity.id}/records`, { title: 'Small', amount: 10 })).body;
    const t = await taskOf('manager', rec.id);
    expect(t.nodeId).toBe('small');
    const ret = await c.manager.post(`/api/workflow-tasks/${encodeURIComponent(t.id)}/return`, { target: 'start', comment: 'add detail' });
    expect(ret.status).toBe(200);
    const back = await until(
      async () => (await c.rep.get('/api/notifications')).body.items.find((n: any) => n.kind === 'returned' && n.data.recordId === rec.id),
      'returned',
    );
    expect(back.data.instanceId).toBe(ret.body.instanceId);
    expectProblem(await c.other.post(`/api/workflow-instances/${ret.body.instanceId}/resubmit`), 404, 'INSTANCE_NOT_FOUND');
    expect((await c.rep.post(`/api/workflow-instances/${ret.body.instanceId}/resubmit`)).status).toBe(200);
    const t2 = await taskOf('manager', rec.id);
    expect((await c.rep.post(`/api/workflow-instances/${ret.body.instanceId}/urge`)).status).toBe(200);
    await until(async () => (await c.manager.get('/api/notifications')).body.items.find((n: any) => n.kind === 'urged'), 'urged');
    const rej = await c.manager.post(`/api/workflow-tasks/${encodeURIComponent(t2.id)}/reject`, { comment: 'no' });
    expect(rej.body.status).toBe('rejected');
    expectProblem(await c.rep.post(`/api/workflow-instances/${ret.body.instanceId}/withdraw`), 409, 'INSTANCE_NOT_RUNNING');
    // admin actions: reactivate then end
    expectProblem(await c.manager.post(`/api/workflow-instances/${ret.body.instanceId}/end`), 403, 'FORBIDDEN');
    const re = await admin.post(`/api/workflow-instances/${ret.body.instanceId}/reactivate`, {});
    expect(re.body.status).toBe('running');
    expect((await admin.post(`/api/workflow-instances/${ret.body.instanceId}/end`, { comment: 'stop' })).body.status).toBe('ended');
    const audit = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE target_type IN ('workflow_task', 'workflow_instance')");
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['workflow.return', 'workflow.resubmit', 'workflow.reject', 'workflow.admin_end']));
  });

  it('comments and signatures within the cap; over it refused', async () => {
    const rec = (await c.rep.post(`/api/entities/${entity.id}/records`, { title: 'Sig', amount: 5 })).body;
    const t = await taskOf('manager', rec.id);
    const detail = (await c.manager.get(`/api/workflow-tasks/${encodeURIComponent(t.id)}`)).body;
    const inst = detail.instance.id;
    const sig = `data:image/png;base64,${Buffer.alloc(300, 7).toString('base64')}`;
    expect((await c.manager.post(`/api/workflow-instances/${inst}/comments`, { comment: 'looks fine', signature: sig })).status).toBe(201);
    expectProblem(await c.manager.post(`/api/workflow-instances/${inst}/comments`, { comment: 'x'.repeat(2001) }), 400, 'VALIDATION_FAILED');
    const big = `data:image/png;base64,${'A'.repeat(140 * 1024)}`;
    expect((await c.manager.post(`/api/workflow-instances/${inst}/comments`, { signature: big })).body.errors[0].code).toBe('too_large');
    expectProblem(await c.other.post(`/api/workflow-instances/${inst}/comments`, { comment: 'hi' }), 404, 'INSTANCE_NOT_FOUND');
    const full = (await c.rep.get(`/api/workflow-instances/${inst}`)).body;
    expect(full.comments.map((x: any) => x.body)).toEqual(['looks fine']);
    // batch approve: own pending task approved, a foreign id refused on its own
    const batch = await c.manager.post('/api/workflow-tasks/batch-approve', { taskIds: [t.id, 'nope'] });
    expect(batch.body.approved).toBe(1);
    expect(batch.body.results.find((r: any) => r.taskId === 'nope').code).toBe('TASK_NOT_FOUND');
  });

  it('tasks of a wait-free cc node and a failing webhook are handled without hanging', async () => {
    const flow = (
      await admin.post(`/api/entities/${entity.id}/workflows`, {
        name: 'Notify',
        startOn: 'manual',
        graph: {
          nodes: [
            startNode,
            { id: 'cc', type: 'cc', settings: { assignees: [{ kind: 'members', ids: [m.other.id] }], fields: {} } },
            { id: 'a', type: 'approval', settings: approval([{ kind: 'submitter' }]) },
            endNode,
          ],
          edges: [edge('start', 'cc'), edge('cc', 'a'), edge('a', 'end')],
        },
      })
    ).body;
    expect(flow.draft.problems).toEqual([]);
  });
});
