import { expect } from 'vitest';
import type { Db } from '../../src/database/db';
import { type Client, makeEntity } from './harness';
import { until } from './wf-runtime';

/**
 * One entity with one published workflow that starts on create, for the runtime suites that
 * give every case its own graph (so no case's instances start another's workflow).
 */
export interface Flow {
  entity: any;
  workflow: any;
  /** Creates a record as `who` (the submitter); the workflow starts after commit. */
  submit(who: Client, values?: Record<string, unknown>): Promise<{ id: number }>;
}

export const DEFAULT_FIELDS = [
  { key: 'title', label: 'Title', type: 'text' },
  { key: 'amount', label: 'Amount', type: 'number' },
  { key: 'stage', label: 'Stage', type: 'text' },
  { key: 'note', label: 'Note', type: 'text' },
];

/** An entity the submitters may manage (one per suite keeps MariaDB's DDL out of every case). */
export async function flowEntity(admin: Client, submitters: string[], fields: unknown[] = DEFAULT_FIELDS): Promise<any> {
  const entity = await makeEntity(admin, fields);
  expect((await admin.post(`/api/entities/${entity.id}/permission-groups`, { preset: 'manage_all', members: submitters })).status).toBeLessThan(300);
  return entity;
}

/**
 * Publishes a workflow that starts on create; with `entity`, on that entity, every other
 * workflow of it set to manual first (so only this one starts), else on a new entity.
 */
export async function publishFlow(
  admin: Client,
  args: { graph: unknown; submitters: string[]; fields?: unknown[]; name?: string; entity?: any },
): Promise<Flow> {
  const entity = args.entity ?? (await flowEntity(admin, args.submitters, args.fields));
  if (args.entity)
    for (const x of (await admin.get(`/api/entities/${entity.id}/workflows`)).body.items as any[])
      if (x.startOn === 'create') expect((await admin.patch(`/api/workflows/${x.id}`, { startOn: 'manual' })).status).toBe(200);
  const w = await admin.post(`/api/entities/${entity.id}/workflows`, { name: args.name ?? 'Flow', graph: args.graph });
  expect(w.body.draft?.problems, JSON.stringify(w.body)).toEqual([]);
  const pub = await admin.post(`/api/workflows/${w.body.id}/publish`);
  expect(pub.status, JSON.stringify(pub.body)).toBe(200);
  return {
    entity,
    workflow: w.body,
    async submit(who, values = {}) {
      const r = await who.post(`/api/entities/${entity.id}/records`, { title: 't', ...values });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
  };
}

export interface TaskLine {
  id: string;
  assignee_id: string;
  instance_id: string;
  node_id: string;
  status: string;
}

/** Every task row of a record's instances, oldest first (the database's truth). */
export async function tasksOf(db: Db, recordId: number, entityId: string): Promise<TaskLine[]> {
  return db.query<TaskLine>(
    'SELECT id, assignee_id, instance_id, node_id, status FROM workflow_tasks WHERE entity_id = ? AND record_id = ? ORDER BY created_at, id',
    [entityId, recordId],
  );
}

/** Waits until the record's pending tasks are exactly on these (node, assignee) pairs, sorted. */
export async function pendingExactly(db: Db, flow: Flow, recordId: number, expected: [string, string][]): Promise<TaskLine[]> {
  const want = JSON.stringify([...expected].map(([n, a]) => `${n}/${a}`).sort());
  let last = '';
  try {
    return await until(
      async () => {
        const pending = (await tasksOf(db, recordId, flow.entity.id)).filter((t) => t.status === 'pending');
        last = JSON.stringify(pending.map((t) => `${t.node_id}/${t.assignee_id}`).sort());
        return last === want ? pending : null;
      },
      `pending tasks ${want}`,
      15_000,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen ${last}`);
  }
}

/** The notifications of a member (newest first), waiting until one matches. */
export async function notified(c: Client, match: (n: any) => boolean, what: string): Promise<any> {
  return until(async () => ((await c.get('/api/notifications')).body.items as any[]).find(match), what, 15_000);
}

export const act = (c: Client, taskId: string, action: string, body: unknown = {}) =>
  c.post(`/api/workflow-tasks/${encodeURIComponent(taskId)}/${action}`, body);
