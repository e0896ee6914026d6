import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { type Client, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';
import { act, type Flow, flowEntity, notified, pendingExactly, publishFlow, tasksOf } from './support/wf-flows';
import { finished, instanceOf, until } from './support/wf-runtime';
import { approval, edge, endNode, oneStep, startNode } from './support/workflows';

/**
 * The staff actions on tasks through the HTTP API, on SQLite (in-process jobs) and on MariaDB +
 * Redis (DATABASE_URL / REDIS_URL): transfer (转交), add approver before/after (加签), the admin's
 * reassign, cc (抄送), the multi-assignee modes (all, any, vote, in order), the submitter's
 * withdraw policies, return out of parallel branches, and the refusals that change nothing.
 */
let api: TestApi;
let db: Db;
let admin: Client;
const NAMES = ['rep', 'a1', 'a2', 'a3', 'other'] as const;
type Who = (typeof NAMES)[number];
const m = {} as Record<Who, SeededMember>;
const c = {} as Record<Who, Client>;
let foreign: { member: SeededMember; client: Client };

let shared: any;
const flow = (graph: unknown) => publishFlow(admin, { graph, submitters: [m.rep.id], entity: shared });
const one = (assignees: Who[], extra: Record<string, unknown> = {}) => oneStep(approval([{ kind: 'members', ids: assignees.map((w) => m[w].id) }], extra));
const todoIds = async (who: Who) => ((await c[who].get('/api/workflow-inbox?box=todo')).body.items as any[]).map((i) => i.task.id);
const statusOf = async (taskId: string) => (await db.query<{ status: string }>('SELECT status FROM workflow_tasks WHERE id = ?', [taskId]))[0]?.status;
const timelineKinds = async (who: Client, instanceId: string) =>
  ((await who.get(`/api/workflow-instances/${instanceId}`)).body.timeline as any[]).map((l) => l.kind);

/** The instance row and the task rows of a record, to prove a refused action changed nothing. */
async function snapshot(f: Flow, recordId: number): Promise<string> {
  const inst = await instanceOf(db, f.entity.id, recordId);
  const row = (await db.query<{ rev: number; state: string }>('SELECT rev, state FROM workflow_instances WHERE id = ?', [inst.id]))[0];
  return JSON.stringify({ rev: Number(row.rev), state: row.state, tasks: await tasksOf(db, recordId, f.entity.id) });
}

beforeAll(async () => {
  api = await startApi({ env: { JOBS_CONSUME: 'on', JOBS_POLL_MS: '50' } });
  db = api.app.get(Db);
  admin = api.admin;
  const org = await OrgSeed.of(api);
  for (const k of NAMES) {
    m[k] = await org.member(k);
    c[k] = await org.login(m[k]);
  }
  const other = await org.workspace('Other Co');
  const member = await other.member('Outsider');
  foreign = { member, client: await other.login(member) };
  shared = await flowEntity(admin, [m.rep.id]);
}, 120_000);
afterAll(async () => api?.close());

describe('workflow task actions', () => {
  it('transfer (转交): the new assignee gets the task and a notification; the old one can no longer act; bad targets change nothing', async () => {
    const f = await flow(one(['a1']));
    const rec = await f.submit(c.rep);
    const [t1] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    const before = await snapshot(f, rec.id);
    // nobody, an unknown member, a member of another workspace, the assignee themself: refused, nothing changes
    expectProblem(await act(c.a1, t1.id, 'transfer', {}), 400, 'VALIDATION_FAILED');
    for (const to of ['00000000-0000-4000-8000-000000000000', foreign.member.id, m.a1.id]) {
      const r = await act(c.a1, t1.id, 'transfer', { to });
      expect([r.status, r.body.code], `${to}: ${JSON.stringify(r.body)}`).toEqual([400, to === m.a1.id ? 'INVALID_EVENT' : 'VALIDATION_FAILED']);
    }
    expectProblem(await act(c.other, t1.id, 'transfer', { to: m.other.id }), 404, 'TASK_NOT_FOUND');
    expect(await snapshot(f, rec.id)).toBe(before);

    const r = await act(c.a1, t1.id, 'transfer', { to: m.a2.id, comment: 'on holiday' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await statusOf(t1.id)).toBe('transferred');
    const [t2] = await pendingExactly(db, f, rec.id, [['a', m.a2.id]]);
    expect(await todoIds('a2')).toContain(t2.id);
    expect(await todoIds('a1')).not.toContain(t1.id);
    const note = await notified(c.a2, (n) => n.kind === 'transferred' && n.data.taskId === t2.id, 'the transferred notification');
    expect(note.data.recordId).toBe(rec.id);
    // one notification for the handed-over task (it says transferred), not a second "new task"
    const forTask = ((await c.a2.get('/api/notifications')).body.items as any[]).filter((n) => n.data.taskId === t2.id);
    expect(forTask.map((n) => n.kind)).toEqual(['transferred']);
    expectProblem(await act(c.a1, t1.id, 'approve'), 409, 'ALREADY_DECIDED');
    expect((await act(c.a2, t2.id, 'approve')).body.status).toBe('approved');
    expect(await timelineKinds(c.rep, t2.instance_id)).toEqual(expect.arrayContaining(['transfer', 'approve', 'finished']));
  });

  it('add approver before (加签): my task waits for theirs, then comes back to me', async () => {
    const f = await flow(one(['a1']));
    const rec = await f.submit(c.rep);
    const [t1] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    expectProblem(await act(c.a1, t1.id, 'add-approver', { members: [m.a1.id], position: 'before' }), 400, 'INVALID_EVENT');
    const unknown = expectProblem(await act(c.a1, t1.id, 'add-approver', { members: [m.a2.id, foreign.member.id] }), 400, 'VALIDATION_FAILED');
    expect(unknown.errors).toEqual([expect.objectContaining({ path: '/members/1', code: 'unknown_member' })]);
    expect(await statusOf(t1.id)).toBe('pending');
    const before = await act(c.a1, t1.id, 'add-approver', { members: [m.a2.id], position: 'before' });
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(await statusOf(t1.id)).toBe('queued');
    expect(await todoIds('a1')).not.toContain(t1.id);
    expectProblem(await act(c.a1, t1.id, 'approve'), 409, 'TASK_NOT_PENDING');
    const [t2] = await pendingExactly(db, f, rec.id, [['a', m.a2.id]]);
    await notified(c.a2, (n) => n.kind === 'task' && n.data.taskId === t2.id, "a2's new task");
    expect((await act(c.a2, t2.id, 'approve')).body.status).toBe('running');
    await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    expect(await todoIds('a1')).toContain(t1.id);
    const done = await act(c.a1, t1.id, 'approve');
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('approved');
  });

  it('add approver after (加签): my approval stands and theirs is needed too; their rejection rejects', async () => {
    const f = await flow(one(['a1']));
    const rec = await f.submit(c.rep);
    const [t1] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    const after = await act(c.a1, t1.id, 'add-approver', { members: [m.a2.id, m.a3.id], position: 'after' });
    expect(after.body.status).toBe('running');
    expect(await statusOf(t1.id)).toBe('approved');
    const [x, y] = await pendingExactly(db, f, rec.id, [
      ['a', m.a2.id],
      ['a', m.a3.id],
    ]);
    expect((await act(x.assignee_id === m.a2.id ? c.a2 : c.a3, x.id, 'approve')).body.status).toBe('running');
    expect((await act(y.assignee_id === m.a2.id ? c.a2 : c.a3, y.id, 'reject')).body.status).toBe('rejected');
  });

  it('admin reassign: only an admin; the task moves with a notification, the old assignee is refused', async () => {
    const f = await flow(one(['a1']));
    const rec = await f.submit(c.rep);
    const [t1] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    const path = `/api/workflow-instances/${t1.instance_id}/reassign`;
    expectProblem(await c.a1.post(path, { taskId: t1.id, to: m.a2.id }), 403, 'FORBIDDEN');
    expectProblem(await c.other.post(path, { taskId: t1.id, to: m.a2.id }), 404, 'INSTANCE_NOT_FOUND');
    expectProblem(await foreign.client.post(path, { taskId: t1.id, to: m.a2.id }), 404, 'INSTANCE_NOT_FOUND');
    const bad = expectProblem(await admin.post(path, { taskId: t1.id, to: foreign.member.id }), 400, 'VALIDATION_FAILED');
    expect(bad.errors).toEqual([expect.objectContaining({ path: '/to', code: 'unknown_member' })]);
    expect(await statusOf(t1.id)).toBe('pending');
    const ok = await admin.post(path, { taskId: t1.id, to: m.a2.id, comment: 'a1 left' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const [t2] = await pendingExactly(db, f, rec.id, [['a', m.a2.id]]);
    await notified(c.a2, (n) => n.kind === 'transferred' && n.data.taskId === t2.id, 'the reassigned notification');
    expectProblem(await act(c.a1, t1.id, 'approve'), 409, 'ALREADY_DECIDED');
    expect((await act(c.a2, t2.id, 'approve')).body.status).toBe('approved');
    const audit = await db.query<{ action: string }>('SELECT action FROM audit_log WHERE target_id = ?', [t1.instance_id]);
    expect(audit.map((a) => a.action)).toContain('workflow.admin_reassign');
  });

  it('cc (抄送): the member is notified, sees the instance in the cc box and the counts, may read it but not act', async () => {
    const f = await flow({
      nodes: [
        startNode,
        { id: 'cc', type: 'cc', settings: { assignees: [{ kind: 'members', ids: [m.other.id] }], fields: { amount: 'hidden', note: 'editable' } } },
        { id: 'a', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a1.id] }]) },
        endNode,
      ],
      edges: [edge('start', 'cc'), edge('cc', 'a'), edge('a', 'end')],
    });
    const ccBefore = (await c.other.get('/api/workflow-inbox/counts')).body.cc;
    const rec = await f.submit(c.rep, { amount: 99, note: 'hello' });
    const [t] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    const note = await notified(c.other, (n) => n.kind === 'cc' && n.data.recordId === rec.id, 'the cc notification');
    expect(note.data).toMatchObject({ instanceId: t.instance_id, nodeId: 'cc', entityId: f.entity.id });
    const box = (await c.other.get('/api/workflow-inbox?box=cc')).body.items as any[];
    expect(box.filter((i) => i.instanceId === t.instance_id)).toHaveLength(1);
    expect((await c.other.get('/api/workflow-inbox/counts')).body.cc).toBe(ccBefore + 1);
    // the copy shows the record as the cc node lets them see it (without access to the entity otherwise)
    const copy = await c.other.get(`/api/workflow-instances/${t.instance_id}`);
    expect(copy.status).toBe(200);
    expect(copy.body.ccRecord).toMatchObject({ id: rec.id, title: 't', note: 'hello' });
    expect(copy.body.ccRecord).not.toHaveProperty('amount');
    expect((await c.other.get(`/api/entities/${f.entity.id}/records/${rec.id}`)).status).toBe(404);
    expect((await c.a1.get(`/api/workflow-instances/${t.instance_id}`)).body.ccRecord).toBeNull();
    expectProblem(await act(c.other, t.id, 'approve'), 404, 'TASK_NOT_FOUND');
    expect((await c.a2.get(`/api/workflow-instances/${t.instance_id}`)).status).toBe(404);
    expect(await timelineKinds(c.rep, t.instance_id)).toContain('cc');
  });

  it('vote modes: all waits for everyone, any takes the first and closes the rest, a ratio passes or rejects by count', async () => {
    const all = await flow(one(['a1', 'a2', 'a3'], { mode: 'all' }));
    let rec = await all.submit(c.rep);
    let ts = await pendingExactly(db, all, rec.id, [
      ['a', m.a1.id],
      ['a', m.a2.id],
      ['a', m.a3.id],
    ]);
    const by = (t: { assignee_id: string }) => c[NAMES.find((k) => m[k].id === t.assignee_id)!];
    expect((await act(by(ts[0]), ts[0].id, 'approve')).body.status).toBe('running');
    expect((await act(by(ts[1]), ts[1].id, 'approve')).body.status).toBe('running');
    expect((await act(by(ts[2]), ts[2].id, 'approve')).body.status).toBe('approved');

    const any = await flow(one(['a1', 'a2', 'a3'], { mode: 'any' }));
    rec = await any.submit(c.rep);
    ts = await pendingExactly(db, any, rec.id, [
      ['a', m.a1.id],
      ['a', m.a2.id],
      ['a', m.a3.id],
    ]);
    expect((await act(by(ts[1]), ts[1].id, 'approve')).body.status).toBe('approved');
    expect(await statusOf(ts[0].id)).toBe('cancelled');
    expectProblem(await act(by(ts[2]), ts[2].id, 'approve'), 409, 'TASK_NOT_PENDING');

    const vote = await flow(one(['a1', 'a2', 'a3'], { mode: 'vote', passRatio: 0.6 }));
    rec = await vote.submit(c.rep);
    ts = await pendingExactly(db, vote, rec.id, [
      ['a', m.a1.id],
      ['a', m.a2.id],
      ['a', m.a3.id],
    ]);
    // one rejection leaves 2/3 ≥ 0.6 possible: still running; two approvals pass
    expect((await act(by(ts[0]), ts[0].id, 'reject')).body.status).toBe('running');
    expect((await act(by(ts[1]), ts[1].id, 'approve')).body.status).toBe('running');
    expect((await act(by(ts[2]), ts[2].id, 'approve')).body.status).toBe('approved');
    rec = await vote.submit(c.rep);
    ts = await pendingExactly(db, vote, rec.id, [
      ['a', m.a1.id],
      ['a', m.a2.id],
      ['a', m.a3.id],
    ]);
    expect((await act(by(ts[0]), ts[0].id, 'approve')).body.status).toBe('running');
    expect((await act(by(ts[1]), ts[1].id, 'reject')).body.status).toBe('running');
    // 1 approval + 1 open of 3 can no longer reach 0.6: rejected, the open task closed
    expect((await act(by(ts[2]), ts[2].id, 'reject')).body.status).toBe('rejected');
  });

  it('in order (依次): one task at a time, in the listed order; a rejection stops the rest', async () => {
    const f = await flow(one(['a2', 'a1', 'a3'], { mode: 'sequential' }));
    let rec = await f.submit(c.rep);
    const [t2] = await pendingExactly(db, f, rec.id, [['a', m.a2.id]]);
    expect(await todoIds('a1')).not.toEqual(expect.arrayContaining((await tasksOf(db, rec.id, f.entity.id)).map((t) => t.id)));
    expect((await act(c.a2, t2.id, 'approve')).body.status).toBe('running');
    const [t1] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    await notified(c.a1, (n) => n.kind === 'task' && n.data.taskId === t1.id, "a1's turn");
    expect((await act(c.a1, t1.id, 'approve')).body.status).toBe('running');
    const [t3] = await pendingExactly(db, f, rec.id, [['a', m.a3.id]]);
    expect((await act(c.a3, t3.id, 'approve')).body.status).toBe('approved');

    rec = await f.submit(c.rep);
    const [u2] = await pendingExactly(db, f, rec.id, [['a', m.a2.id]]);
    expect((await act(c.a2, u2.id, 'reject')).body.status).toBe('rejected');
    const rows = await tasksOf(db, rec.id, f.entity.id);
    expect(rows.filter((t) => t.status === 'pending')).toEqual([]);
    expect(rows.map((t) => t.assignee_id)).toEqual([m.a2.id]); // the queued ones never became tasks
  });

  it('withdraw (撤回): none refuses, until-first-decision allows only before a decision, any-node allows always; only the submitter', async () => {
    const none = await flow(one(['a1'], { withdraw: 'none' }));
    let rec = await none.submit(c.rep);
    let [t] = await pendingExactly(db, none, rec.id, [['a', m.a1.id]]);
    let before = await snapshot(none, rec.id);
    expectProblem(await c.rep.post(`/api/workflow-instances/${t.instance_id}/withdraw`), 409, 'ACTION_NOT_ALLOWED');
    expect(await snapshot(none, rec.id)).toBe(before);

    const first = await flow({
      nodes: [
        startNode,
        { id: 'a', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a1.id] }], { withdraw: 'untilFirstDecision' }) },
        { id: 'b', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a2.id] }], { withdraw: 'untilFirstDecision' }) },
        endNode,
      ],
      edges: [edge('start', 'a'), edge('a', 'b'), edge('b', 'end')],
    });
    rec = await first.submit(c.rep);
    [t] = await pendingExactly(db, first, rec.id, [['a', m.a1.id]]);
    expect((await c.a1.post(`/api/workflow-instances/${t.instance_id}/withdraw`)).status).toBe(403);
    const w = await c.rep.post(`/api/workflow-instances/${t.instance_id}/withdraw`, { comment: 'typo' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    expect(await statusOf(t.id)).toBe('cancelled');
    const [resubmit] = await pendingExactly(db, first, rec.id, [['start', m.rep.id]]);
    expect(resubmit.instance_id).toBe(t.instance_id);
    expect((await c.rep.post(`/api/workflow-instances/${t.instance_id}/resubmit`)).status).toBe(200);
    [t] = await pendingExactly(db, first, rec.id, [['a', m.a1.id]]);
    expect((await act(c.a1, t.id, 'approve')).status).toBe(200);
    await pendingExactly(db, first, rec.id, [['b', m.a2.id]]);
    before = await snapshot(first, rec.id);
    expectProblem(await c.rep.post(`/api/workflow-instances/${t.instance_id}/withdraw`), 409, 'ACTION_NOT_ALLOWED');
    expect(await snapshot(first, rec.id)).toBe(before);

    const anyNode = await flow({
      nodes: [
        startNode,
        { id: 'a', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a1.id] }], { withdraw: 'anyNode' }) },
        { id: 'b', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a2.id] }], { withdraw: 'anyNode' }) },
        endNode,
      ],
      edges: [edge('start', 'a'), edge('a', 'b'), edge('b', 'end')],
    });
    rec = await anyNode.submit(c.rep);
    [t] = await pendingExactly(db, anyNode, rec.id, [['a', m.a1.id]]);
    expect((await act(c.a1, t.id, 'approve')).status).toBe(200);
    const [tb] = await pendingExactly(db, anyNode, rec.id, [['b', m.a2.id]]);
    expect((await c.rep.post(`/api/workflow-instances/${t.instance_id}/withdraw`)).status).toBe(200);
    expect(await statusOf(tb.id)).toBe('cancelled');
    await pendingExactly(db, anyNode, rec.id, [['start', m.rep.id]]);
    expect(await timelineKinds(c.rep, t.instance_id)).toContain('withdraw');
    expectProblem(await c.rep.post(`/api/workflow-instances/${t.instance_id}/withdraw`), 409, 'ACTION_NOT_ALLOWED');
  });

  it('return (回退) out of parallel branches: every other branch is closed, nothing orphaned; the resubmission runs both again', async () => {
    const f = await flow({
      nodes: [
        startNode,
        { id: 'split', type: 'parallel', settings: {} },
        {
          id: 'legal',
          type: 'approval',
          settings: approval([{ kind: 'members', ids: [m.a1.id] }], { deadline: { after: { amount: 5, unit: 'days' }, action: 'remind' } }),
        },
        { id: 'fin', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a2.id] }]) },
        { id: 'fin2', type: 'approval', settings: approval([{ kind: 'members', ids: [m.a3.id] }]) },
        { id: 'join', type: 'join', settings: { split: 'split' } },
        endNode,
      ],
      edges: [
        edge('start', 'split'),
        edge('split', 'legal'),
        edge('split', 'fin'),
        edge('fin', 'fin2'),
        edge('legal', 'join'),
        edge('fin2', 'join'),
        edge('join', 'end'),
      ],
    });
    const rec = await f.submit(c.rep);
    const first = await pendingExactly(db, f, rec.id, [
      ['legal', m.a1.id],
      ['fin', m.a2.id],
    ]);
    const fin = first.find((t) => t.node_id === 'fin')!;
    expect((await act(c.a2, fin.id, 'approve')).status).toBe(200);
    const [fin2] = await pendingExactly(db, f, rec.id, [
      ['legal', m.a1.id],
      ['fin2', m.a3.id],
    ]).then((ts) => ts.filter((t) => t.node_id === 'fin2'));
    // fin2 may go back to fin (its own branch) but not to legal (another branch)
    expectProblem(await act(c.a3, fin2.id, 'return', { target: { nodeId: 'legal' } }), 400, 'INVALID_RETURN_TARGET');
    const back = await act(c.a3, fin2.id, 'return', { target: 'start', comment: 'missing contract' });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    const [resubmit] = await pendingExactly(db, f, rec.id, [['start', m.rep.id]]);
    const legal = first.find((t) => t.node_id === 'legal')!;
    expect(await statusOf(legal.id)).toBe('cancelled');
    expect(await statusOf(fin2.id)).toBe('returned');
    expectProblem(await act(c.a1, legal.id, 'approve'), 409, 'TASK_NOT_PENDING');
    const state = JSON.parse((await db.query<{ state: string }>('SELECT state FROM workflow_instances WHERE id = ?', [resubmit.instance_id]))[0].state);
    expect(state.tokens.map((t: any) => t.nodeId)).toEqual(['start']);
    expect(state.splits).toEqual([]);
    expect(state.timers).toEqual([]);
    await notified(c.rep, (n) => n.kind === 'returned' && n.data.recordId === rec.id, 'the returned notification');
    expect((await c.rep.post(`/api/workflow-instances/${resubmit.instance_id}/resubmit`)).status).toBe(200);
    const again = await pendingExactly(db, f, rec.id, [
      ['legal', m.a1.id],
      ['fin', m.a2.id],
    ]);
    expect((await act(c.a1, again.find((t) => t.node_id === 'legal')!.id, 'approve')).body.status).toBe('running');
    expect((await act(c.a2, again.find((t) => t.node_id === 'fin')!.id, 'approve')).body.status).toBe('running');
    const [last] = await pendingExactly(db, f, rec.id, [['fin2', m.a3.id]]);
    expect((await act(c.a3, last.id, 'approve')).body.status).toBe('approved');
    expect((await finished(db, resubmit.instance_id)).status).toBe('approved');
  });

  it("an action on a task that is not mine, not pending or of another workspace answers 404/409 and changes nothing; over-cap comments and other fields' edits are refused", async () => {
    const f = await flow(one(['a1'], { fields: { note: 'editable', amount: 'visible' } }));
    const rec = await f.submit(c.rep, { amount: 5 });
    const [t] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    const before = await snapshot(f, rec.id);
    for (const action of ['approve', 'reject', 'return', 'transfer', 'add-approver']) {
      expectProblem(await act(c.a2, t.id, action, {}), 404, 'TASK_NOT_FOUND');
      expectProblem(await act(foreign.client, t.id, action, {}), 404, 'TASK_NOT_FOUND');
    }
    expectProblem(await foreign.client.get(`/api/workflow-tasks/${encodeURIComponent(t.id)}`), 404, 'TASK_NOT_FOUND');
    expectProblem(await foreign.client.post(`/api/workflow-instances/${t.instance_id}/withdraw`), 404, 'INSTANCE_NOT_FOUND');
    const edit = expectProblem(
      await c.a1.patch(`/api/workflow-tasks/${encodeURIComponent(t.id)}/record`, { amount: 9, title: 'x', note: 'n' }),
      403,
      'FIELD_NOT_WRITABLE',
    );
    expect([...edit.fields].sort()).toEqual(['amount', 'title']);
    expect((await c.a2.patch(`/api/workflow-tasks/${encodeURIComponent(t.id)}/record`, { note: 'n' })).status).toBe(404);
    const long = expectProblem(await act(c.a1, t.id, 'approve', { comment: 'x'.repeat(2001) }), 400, 'VALIDATION_FAILED');
    expect(long.errors[0]).toMatchObject({ path: '/comment', code: 'too_long' });
    const sig = expectProblem(await act(c.a1, t.id, 'approve', { signature: `data:image/png;base64,${'A'.repeat(129 * 1024)}` }), 400, 'VALIDATION_FAILED');
    expect(sig.errors[0]).toMatchObject({ path: '/signature', code: 'too_large' });
    expect(await snapshot(f, rec.id)).toBe(before);
    const record = (await c.rep.get(`/api/entities/${f.entity.id}/records/${rec.id}`)).body;
    expect(record).toMatchObject({ amount: 5, title: 't' });
    expect(record.note ?? null).toBeNull();
    expect((await act(c.a1, t.id, 'approve')).body.status).toBe('approved');
    // decided now: every further action is 409 and changes nothing
    const after = await snapshot(f, rec.id);
    for (const action of ['approve', 'reject', 'return', 'transfer'])
      expect((await act(c.a1, t.id, action, action === 'transfer' ? { to: m.a2.id } : {})).status).toBe(409);
    expect((await c.a1.patch(`/api/workflow-tasks/${encodeURIComponent(t.id)}/record`, { note: 'late' })).status).toBe(409);
    expect(await snapshot(f, rec.id)).toBe(after);
    await until(
      async () => (await c.rep.get('/api/notifications')).body.items.some((n: any) => n.kind === 'finished' && n.data.recordId === rec.id),
      'finished',
    );
  });
});
