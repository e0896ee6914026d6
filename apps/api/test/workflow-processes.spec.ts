import { createServer, type ServerResponse, type Server } from 'node:http';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { type Client, makeEntity, startApi, type TestApi, usingMysql } from './support/harness';
import { spawnWorker } from './support/jobs';
import { OrgSeed } from './support/org';
import type { Spawned } from './support/spawn';
import { finished, instanceOf, makeDue, pendingTasks, until } from './support/wf-runtime';
import { approval, edge, endNode, startNode } from './support/workflows';

/**
 * A worker (apps/worker, built) killed with SIGKILL while a webhook step waits for the receiver:
 * after another worker takes the job back, the step completes exactly once as seen from the
 * database, and the receiver — a real HTTP server — gets every delivery with the same
 * Idempotency-Key, so it applies one.
 */
let api: TestApi;
let db: Db;
let rep: Client;
let hookWorkflow: string;
let approverId: string;
let entity: any;
let receiver: Server;
let url: string;
const deliveries: string[] = [];
let holdFirst: ServerResponse | null = null;
let firstArrived: () => void;
const arrived = new Promise<void>((r) => (firstArrived = r));
const workers: Spawned[] = [];

beforeAll(async () => {
  api = await startApi({ env: { JOBS_CONSUME: 'off', JOBS_LEASE_SECONDS: '2', JOBS_SWEEP_SECONDS: '1', JOBS_POLL_MS: '100' } });
  db = api.app.get(Db);
  const org = await OrgSeed.of(api);
  const m = await org.member('Rep');
  approverId = (await org.member('Approver')).id;
  rep = await org.login(m);
  entity = await makeEntity(api.admin, [{ key: 'title', label: 'Title', type: 'text' }]);
  await api.admin.post(`/api/entities/${entity.id}/permission-groups`, { preset: 'manage_all', members: [m.id] });
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      deliveries.push(String(req.headers['idempotency-key']));
      if (deliveries.length === 1) {
        holdFirst = res; // never answered: the worker dies waiting
        firstArrived();
        return;
      }
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
}, 120_000);
afterAll(async () => {
  for (const w of workers) w.proc.kill('SIGKILL');
  holdFirst?.destroy();
  receiver?.close();
  await api?.close();
});

describe('workflow steps across worker processes', () => {
  it('a worker killed with SIGKILL in the middle of a webhook step: after restart the step completes exactly once', async () => {
    const graph = {
      nodes: [startNode, { id: 'hook', type: 'action', settings: { action: { kind: 'webhook', url, method: 'POST' }, onError: 'stop' } }, endNode],
      edges: [edge('start', 'hook'), edge('hook', 'end')],
    };
    const w = (await api.admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Hook', graph })).body;
    hookWorkflow = w.id;
    expect((await api.admin.post(`/api/workflows/${w.id}/publish`)).status).toBe(200);
    const env: Record<string, string> = {
      DATA_DIR: api.config.dataDir,
      REDIS_KEY_PREFIX: api.config.redisKeyPrefix,
      JOBS_LEASE_SECONDS: '2',
      ...(usingMysql && api.config.database.kind === 'mysql' ? { DATABASE_URL: api.config.database.url } : {}),
    };
    const a = spawnWorker(env);
    workers.push(a);
    await a.waitFor(/worker-ready/);
    const rec = (await rep.post(`/api/entities/${entity.id}/records`, { title: 'kill me' })).body;
    await arrived;
    a.proc.kill('SIGKILL');
    await a.exited;
    const inst = await instanceOf(db, entity.id, rec.id);
    expect(inst.status).toBe('running');
    const b = spawnWorker(env);
    workers.push(b);
    await b.waitFor(/worker-ready/);
    const done = await finished(db, inst.id);
    expect(done.status).toBe('approved');
    await until(async () => deliveries.length >= 2, 'the second delivery');
    expect(new Set(deliveries).size).toBe(1);
    expect(deliveries[0]).toMatch(new RegExp(`^${inst.id}:`));
    const runs = await db.query<{ status: string }>('SELECT status FROM workflow_node_runs WHERE instance_id = ?', [inst.id]);
    expect(runs).toEqual([{ status: 'done' }]);
    const lines = await db.query<{ kind: string }>("SELECT kind FROM workflow_timeline WHERE instance_id = ? AND kind = 'finished'", [inst.id]);
    expect(lines).toHaveLength(1);
    await b.stop();
  }, 180_000);

  it.runIf(!!process.env.REDIS_URL)(
    'Redis loses its data while instances wait to start and deadlines are due: nothing is lost, the deadlines still fire',
    async () => {
      await api.admin.patch(`/api/workflows/${hookWorkflow}`, { startOn: 'manual' });
      const graph = {
        nodes: [
          startNode,
          {
            id: 'a',
            type: 'approval',
            settings: approval([{ kind: 'members', ids: [approverId] }], { deadline: { after: { amount: 1, unit: 'minutes' }, action: 'autoApprove' } }),
          },
          endNode,
        ],
        edges: [edge('start', 'a'), edge('a', 'end')],
      };
      const w = (await api.admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Deadline', graph })).body;
      expect((await api.admin.post(`/api/workflows/${w.id}/publish`)).status).toBe(200);
      const redis = new Redis(process.env.REDIS_URL!);
      const flush = async () => {
        const keys = await redis.keys(`${api.config.jobs.redisPrefix}:*`);
        if (keys.length) await redis.del(...keys);
      };
      const env: Record<string, string> = {
        DATA_DIR: api.config.dataDir,
        REDIS_KEY_PREFIX: api.config.redisKeyPrefix,
        JOBS_LEASE_SECONDS: '2',
        ...(api.config.database.kind === 'mysql' ? { DATABASE_URL: api.config.database.url } : {}),
      };
      // No consumer yet: the starts are handed to Redis, which then loses them.
      const recs = [];
      for (let i = 0; i < 5; i++) recs.push((await rep.post(`/api/entities/${entity.id}/records`, { title: `lost ${i}` })).body);
      await until(async () => (await db.query("SELECT id FROM jobs WHERE name = 'workflow.start' AND status = 'queued'")).length === 5, 'the starts queued');
      await flush();
      const worker = spawnWorker(env);
      workers.push(worker);
      await worker.waitFor(/worker-ready/);
      const tasks = [];
      for (const r of recs) tasks.push((await pendingTasks(db, entity.id, r.id, 1))[0]);
      // The deadlines come due; Redis loses the deliveries again; the sweeper hands them over anew.
      await until(async () => (await db.query("SELECT id FROM jobs WHERE name = 'workflow.timer' AND status = 'pending'")).length === 5, 'five deadlines');
      await worker.stop();
      await makeDue(db, 'workflow.timer');
      const consumer = spawnWorker(env);
      workers.push(consumer);
      await consumer.waitFor(/worker-ready/);
      await flush();
      for (const t of tasks) expect((await finished(db, t.instance_id)).status).toBe('approved');
      const decided = await db.query<{ decided_by: string }>(
        `SELECT decided_by FROM workflow_tasks WHERE id IN (${tasks.map(() => '?').join(', ')})`,
        tasks.map((t) => t.id),
      );
      expect(decided.map((d) => d.decided_by)).toEqual(['system', 'system', 'system', 'system', 'system']);
      const failed = await db.query("SELECT id FROM jobs WHERE status = 'failed'");
      expect(failed).toEqual([]);
      redis.disconnect();
      await consumer.stop();
    },
    180_000,
  );
});
