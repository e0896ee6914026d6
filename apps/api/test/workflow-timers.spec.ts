import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowStorage } from '../src/common/ids';
import { Db } from '../src/database/db';
import { type Client, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { act, DEFAULT_FIELDS, flowEntity, notified, pendingExactly, publishFlow, tasksOf } from './support/wf-flows';
import { finished, instanceOf, until } from './support/wf-runtime';
import { approval, edge, endNode, oneStep, startNode } from './support/workflows';

/**
 * Delayed work through the HTTP API on SQLite and on MariaDB + Redis: wait nodes (a duration,
 * until a date field), the deadline actions (remind, auto-approve, auto-return, escalate) and
 * sub-processes (started on a related record, waited for or not). Time passes by moving the
 * instance's own timer jobs due (`run_at`), never by sleeping.
 */
let api: TestApi;
let db: Db;
let admin: Client;
const NAMES = ['rep', 'a1', 'a2', 'boss'] as const;
type Who = (typeof NAMES)[number];
const m = {} as Record<Who, SeededMember>;
const c = {} as Record<Who, Client>;

let shared: any;
/** On the suite's entity, or (with fields) on a new one. */
const flow = (graph: unknown, fields?: unknown[], entity?: any) =>
  publishFlow(admin, { graph, submitters: [m.rep.id], ...(fields ? { fields } : {}), entity: entity ?? (fields ? undefined : shared) });
const members = (...who: Who[]) => [{ kind: 'members', ids: who.map((w) => m[w].id) }];

/** The instance's pending timer jobs (its keys are `wf:<instanceId>:e<n>`). */
const timerJobs = (instanceId: string) =>
  db.query<{ id: number; run_at: string }>("SELECT id, run_at FROM jobs WHERE name = 'workflow.timer' AND status = 'pending' AND job_key LIKE ?", [
    `wf:${instanceId}:%`,
  ]);

/** Waits for the instance's timer job, checks it is due about `afterMs` from now, then brings it due. */
async function fireTimer(instanceId: string, afterMs?: number): Promise<void> {
  const [job] = await until(async () => {
    const rows = await timerJobs(instanceId);
    return rows.length ? rows : null;
  }, `a timer job of ${instanceId}`);
  if (afterMs !== undefined) {
    const due = new Date(`${String(job.run_at).replace(' ', 'T').replace(/Z?$/, 'Z')}`).getTime();
    expect(Math.abs(due - (Date.now() + afterMs))).toBeLessThan(120_000);
  }
  await db.run('UPDATE jobs SET run_at = ? WHERE id = ?', [nowStorage(new Date(Date.now() - 1000)), job.id]);
}

const timeline = async (instanceId: string) => (await admin.get(`/api/workflow-instances/${instanceId}`)).body.timeline as any[];

beforeAll(async () => {
  api = await startApi({ env: { JOBS_CONSUME: 'on', JOBS_POLL_MS: '50' } });
  db = api.app.get(Db);
  admin = api.admin;
  const org = await OrgSeed.of(api);
  for (const k of NAMES) {
    m[k] = await org.member(k);
    c[k] = await org.login(m[k]);
  }
  shared = await flowEntity(admin, [m.rep.id], [...DEFAULT_FIELDS, { key: 'due', label: 'Due', type: 'date' }]);
}, 120_000);
afterAll(async () => api?.close());

describe('workflow waits, deadlines and sub-processes', () => {
  it('a wait for a duration holds the instance until its timer fires, then goes on', async () => {
    const f = await flow({
      nodes: [
        startNode,
        { id: 'w', type: 'wait', settings: { mode: 'duration', duration: { amount: 2, unit: 'hours' } } },
        { id: 'a', type: 'approval', settings: approval(members('a1')) },
        endNode,
      ],
      edges: [edge('start', 'w'), edge('w', 'a'), edge('a', 'end')],
    });
    const rec = await f.submit(c.rep);
    const inst = await instanceOf(db, f.entity.id, rec.id);
    await until(async () => (await timerJobs(inst.id)).length > 0, 'the wait timer');
    expect(await tasksOf(db, rec.id, f.entity.id)).toEqual([]);
    expect((await admin.get(`/api/workflow-instances/${inst.id}`)).body.currentNodes).toEqual(['w']);
    await fireTimer(inst.id, 2 * 3_600_000);
    const [t] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    expect((await act(c.a1, t.id, 'approve')).body.status).toBe('approved');
    const entered = (await timeline(inst.id)).filter((l) => l.kind === 'entered').map((l) => l.nodeId);
    expect(entered).toEqual(['start', 'w', 'a', 'end']);
  });

  it('a wait until a date field: a future date waits until then (with its offset), a blank or past date goes on at once', async () => {
    const f = await flow({
      nodes: [
        startNode,
        { id: 'w', type: 'wait', settings: { mode: 'untilField', field: 'due', offset: { amount: 1, unit: 'days', before: true } } },
        { id: 'a', type: 'approval', settings: approval(members('a1')) },
        endNode,
      ],
      edges: [edge('start', 'w'), edge('w', 'a'), edge('a', 'end')],
    });
    const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const rec = await f.submit(c.rep, { due: future });
    const inst = await instanceOf(db, f.entity.id, rec.id);
    const expected = new Date(`${future}T00:00:00.000Z`).getTime() - 86_400_000 - Date.now();
    await fireTimer(inst.id, expected);
    await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    for (const due of [null, '2020-01-01']) {
      const r = await f.submit(c.rep, { due });
      await pendingExactly(db, f, r.id, [['a', m.a1.id]]);
      const i = await instanceOf(db, f.entity.id, r.id);
      expect(await timerJobs(i.id)).toEqual([]);
      expect((await timeline(i.id)).find((l) => l.kind === 'skipped')?.detail).toMatchObject({ detail: { reason: due ? 'past_date' : 'blank_date' } });
    }
  });

  it('deadline remind: the pending assignees are reminded, the task stays theirs', async () => {
    const f = await flow(oneStep(approval(members('a1', 'a2'), { mode: 'all', deadline: { after: { amount: 30, unit: 'minutes' }, action: 'remind' } })));
    const rec = await f.submit(c.rep);
    const ts = await pendingExactly(db, f, rec.id, [
      ['a', m.a1.id],
      ['a', m.a2.id],
    ]);
    const a1Task = ts.find((t) => t.assignee_id === m.a1.id)!;
    expect((await act(c.a1, a1Task.id, 'approve')).status).toBe(200);
    await fireTimer(a1Task.instance_id, 30 * 60_000);
    await notified(c.a2, (n) => n.kind === 'reminder' && n.data.recordId === rec.id, 'the reminder');
    // the one who already decided is not reminded
    await until(async () => (await timeline(a1Task.instance_id)).some((l) => l.kind === 'timerFired'), 'the deadline on the timeline');
    expect(((await c.a1.get('/api/notifications')).body.items as any[]).some((n) => n.kind === 'reminder' && n.data.recordId === rec.id)).toBe(false);
    await pendingExactly(db, f, rec.id, [['a', m.a2.id]]);
  });

  it('deadline auto-approve: the node passes by itself (decided by the system) and the submitter hears the end', async () => {
    const f = await flow(oneStep(approval(members('a1'), { deadline: { after: { amount: 1, unit: 'days' }, action: 'autoApprove' } })));
    const rec = await f.submit(c.rep);
    const [t] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    await fireTimer(t.instance_id, 86_400_000);
    expect((await finished(db, t.instance_id)).status).toBe('approved');
    const row = (await db.query<{ status: string; decided_by: string }>('SELECT status, decided_by FROM workflow_tasks WHERE id = ?', [t.id]))[0];
    expect(row).toEqual({ status: 'approved', decided_by: 'system' });
    await notified(c.rep, (n) => n.kind === 'finished' && n.data.recordId === rec.id, 'finished');
    expect((await act(c.a1, t.id, 'approve')).status).toBe(409);
  });

  it('deadline auto-reject: the open tasks are rejected by the system and the instance ends as rejected', async () => {
    const f = await flow(oneStep(approval(members('a1', 'a2'), { mode: 'all', deadline: { after: { amount: 3, unit: 'days' }, action: 'autoReject' } })));
    const rec = await f.submit(c.rep);
    const ts = await pendingExactly(db, f, rec.id, [
      ['a', m.a1.id],
      ['a', m.a2.id],
    ]);
    const mine = ts.find((t) => t.assignee_id === m.a1.id)!;
    expect((await act(c.a1, mine.id, 'approve')).status).toBe(200);
    await fireTimer(mine.instance_id, 3 * 86_400_000);
    expect((await finished(db, mine.instance_id)).status).toBe('rejected');
    const rows = await db.query<{ assignee_id: string; status: string; decided_by: string }>(
      'SELECT assignee_id, status, decided_by FROM workflow_tasks WHERE instance_id = ? ORDER BY assignee_id',
      [mine.instance_id],
    );
    expect(rows.find((r) => r.assignee_id === m.a1.id)).toMatchObject({ status: 'approved', decided_by: m.a1.id });
    expect(rows.find((r) => r.assignee_id === m.a2.id)).toMatchObject({ status: 'rejected', decided_by: 'system' });
    await notified(c.rep, (n) => n.kind === 'finished' && n.data.recordId === rec.id, 'finished');
  });

  it('deadline auto-return: the instance goes back to the previous node, whose assignee gets a new task', async () => {
    const f = await flow({
      nodes: [
        startNode,
        { id: 'a', type: 'approval', settings: approval(members('a1')) },
        { id: 'b', type: 'approval', settings: approval(members('a2'), { deadline: { after: { amount: 2, unit: 'days' }, action: 'autoReturn' } }) },
        endNode,
      ],
      edges: [edge('start', 'a'), edge('a', 'b'), edge('b', 'end')],
    });
    const rec = await f.submit(c.rep);
    const [ta] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    expect((await act(c.a1, ta.id, 'approve')).status).toBe(200);
    const [tb] = await pendingExactly(db, f, rec.id, [['b', m.a2.id]]);
    await fireTimer(tb.instance_id, 2 * 86_400_000);
    const [again] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    expect(again.id).not.toBe(ta.id);
    expect((await db.query<{ status: string }>('SELECT status FROM workflow_tasks WHERE id = ?', [tb.id]))[0].status).toBe('cancelled');
    await notified(c.a1, (n) => n.kind === 'task' && n.data.taskId === again.id, 'the new task');
    await notified(c.rep, (n) => n.kind === 'returned' && n.data.recordId === rec.id, 'returned');
  });

  it('deadline escalate: the escalation member gets a task besides the assignee and may decide alone', async () => {
    const f = await flow(
      oneStep(approval(members('a1'), { deadline: { after: { amount: 4, unit: 'hours' }, action: 'escalate', escalateTo: members('boss') } })),
    );
    const rec = await f.submit(c.rep);
    const [t] = await pendingExactly(db, f, rec.id, [['a', m.a1.id]]);
    await fireTimer(t.instance_id, 4 * 3_600_000);
    const both = await pendingExactly(db, f, rec.id, [
      ['a', m.a1.id],
      ['a', m.boss.id],
    ]);
    const bossTask = both.find((x) => x.assignee_id === m.boss.id)!;
    await notified(c.boss, (n) => n.kind === 'task' && n.data.taskId === bossTask.id, "the boss's task");
    expect((await act(c.boss, bossTask.id, 'approve')).body.status).toBe('approved');
    expect((await db.query<{ status: string }>('SELECT status FROM workflow_tasks WHERE id = ?', [t.id]))[0].status).toBe('cancelled');
  });

  it('a sub-process starts on the related record; waiting for it holds the parent until the child ends, not waiting goes on at once', async () => {
    const child = await flow(oneStep(approval(members('a2'))));
    const childEntity = child.entity;
    // the parent entity relates to the child entity
    const parentFields = [...DEFAULT_FIELDS, { key: 'contact', label: 'Contact', type: 'relation', settings: { targetEntityId: childEntity.id } }];
    const sub = (wait: boolean) => ({
      nodes: [
        startNode,
        { id: 'sub', type: 'subprocess', settings: { workflowId: child.workflow.id, relationField: 'contact', wait } },
        { id: 'a', type: 'approval', settings: approval(members('a1')) },
        endNode,
      ],
      edges: [edge('start', 'sub'), edge('sub', 'a'), edge('a', 'end')],
    });
    const waiting = await flow(sub(true), parentFields);
    // the related record is made by the admin (starting the child's own workflow on create: that instance is not the sub-process)
    await admin.patch(`/api/workflows/${child.workflow.id}`, { startOn: 'manual' });
    const target = (await admin.post(`/api/entities/${childEntity.id}/records`, { title: 'child' })).body;
    const rec = await waiting.submit(c.rep, { contact: target.id });
    const parent = await instanceOf(db, waiting.entity.id, rec.id);
    const [ct] = await pendingExactly(db, child, target.id, [['a', m.a2.id]]);
    const childRow = (await db.query<{ submitter_id: string }>('SELECT submitter_id FROM workflow_instances WHERE id = ?', [ct.instance_id]))[0];
    expect(childRow.submitter_id).toBe(m.rep.id);
    expect(await tasksOf(db, rec.id, waiting.entity.id)).toEqual([]);
    expect((await act(c.a2, ct.id, 'approve')).body.status).toBe('approved');
    const [pt] = await pendingExactly(db, waiting, rec.id, [['a', m.a1.id]]);
    expect(pt.instance_id).toBe(parent.id);
    expect((await timeline(parent.id)).find((l) => l.kind === 'subprocessFinished')?.detail).toMatchObject({ detail: { status: 'approved' } });
    const runs = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM workflow_instances WHERE entity_id = ? AND record_id = ?', [
      childEntity.id,
      target.id,
    ]);
    expect(Number(runs[0].n)).toBe(1);

    // no related record: the waiting parent goes on, saying why
    const rec3 = await waiting.submit(c.rep, {});
    const i3 = await instanceOf(db, waiting.entity.id, rec3.id);
    await pendingExactly(db, waiting, rec3.id, [['a', m.a1.id]]);
    expect((await timeline(i3.id)).find((l) => l.kind === 'subprocessFinished')?.detail).toMatchObject({ detail: { status: 'ended' } });

    const noWait = await flow(sub(false), undefined, waiting.entity);
    const target2 = (await admin.post(`/api/entities/${childEntity.id}/records`, { title: 'child 2' })).body;
    const rec2 = await noWait.submit(c.rep, { contact: target2.id });
    await pendingExactly(db, noWait, rec2.id, [['a', m.a1.id]]);
    await pendingExactly(db, child, target2.id, [['a', m.a2.id]]);
  });

  it('a parent that stops waiting (withdrawn, ended) ends the sub-process it waited for: no orphaned child', async () => {
    const child = await flow(oneStep(approval(members('a2'))));
    await admin.patch(`/api/workflows/${child.workflow.id}`, { startOn: 'manual' });
    const parentFields = [...DEFAULT_FIELDS, { key: 'contact', label: 'Contact', type: 'relation', settings: { targetEntityId: child.entity.id } }];
    const parentFlow = await flow(
      {
        nodes: [
          startNode,
          { id: 'sub', type: 'subprocess', settings: { workflowId: child.workflow.id, relationField: 'contact', wait: true } },
          { id: 'a', type: 'approval', settings: approval(members('a1')) },
          endNode,
        ],
        edges: [edge('start', 'sub'), edge('sub', 'a'), edge('a', 'end')],
      },
      parentFields,
    );
    for (const stop of ['withdraw', 'end'] as const) {
      const target = (await admin.post(`/api/entities/${child.entity.id}/records`, { title: `child ${stop}` })).body;
      const rec = await parentFlow.submit(c.rep, { contact: target.id });
      const parent = await instanceOf(db, parentFlow.entity.id, rec.id);
      const [ct] = await pendingExactly(db, child, target.id, [['a', m.a2.id]]);
      const r =
        stop === 'withdraw'
          ? await c.rep.post(`/api/workflow-instances/${parent.id}/withdraw`)
          : await admin.post(`/api/workflow-instances/${parent.id}/end`, {});
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect((await finished(db, ct.instance_id)).status).toBe('ended');
      expect((await db.query<{ status: string }>('SELECT status FROM workflow_tasks WHERE id = ?', [ct.id]))[0].status).toBe('cancelled');
      const line = (await timeline(ct.instance_id)).find((l) => l.kind === 'adminEnd');
      expect(line).toMatchObject({ actorId: 'system' });
      if (stop === 'withdraw') {
        // the resubmission starts a new child; the ended one stays ended
        await pendingExactly(db, parentFlow, rec.id, [['start', m.rep.id]]);
        expect((await c.rep.post(`/api/workflow-instances/${parent.id}/resubmit`)).status).toBe(200);
        const [again] = await pendingExactly(db, child, target.id, [['a', m.a2.id]]);
        expect(again.instance_id).not.toBe(ct.instance_id);
        expect((await act(c.a2, again.id, 'approve')).body.status).toBe('approved');
        await pendingExactly(db, parentFlow, rec.id, [['a', m.a1.id]]);
      }
    }
  });
});
