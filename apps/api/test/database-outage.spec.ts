import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, makeEntity, startApi, type TestApi, usingMysql } from './support/harness';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

// Issue 9, item 9: a lost database connection answers 503 DATABASE_UNAVAILABLE with Retry-After,
// never 500, and a safe read is sent again once on another connection. MariaDB only: SQLite is
// a file in the process and has no connection to lose.
describe.skipIf(!usingMysql)('a lost database connection (MariaDB)', () => {
  let proxy: TcpProxy;
  let api: TestApi;
  let entityId: string;
  const dbName = () => new URL(api.config.database.kind === 'mysql' ? api.config.database.url : 'mysql://x/none').pathname.slice(1);

  /** KILL every connection the API holds to its database (what a DBA or a failover does). */
  async function killApiConnections(): Promise<number> {
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = '/';
    const root = await createConnection({ uri: u.toString() });
    try {
      const [rows] = await root.query<any[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [dbName()]);
      for (const r of rows) await root.query(`KILL ${Number(r.ID)}`).catch(() => undefined);
      return rows.length;
    } finally {
      await root.end();
    }
  }

  const expectUnavailable = (res: Api) => {
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    const real = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 3306) });
    api = await startApi({ mysqlPort: proxy.port });
    const ent = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text' },
      { key: 'n', label: 'N', type: 'number' },
    ]);
    entityId = ent.id;
    for (let i = 0; i < 5; i++) expect((await api.admin.post(`/api/entities/${entityId}/records`, { name: `r${i}`, n: i })).status).toBe(201);
  });

  afterAll(async () => {
    proxy?.restore();
    await api?.close();
    await proxy?.close();
  });

  it('reads after KILL of every pooled connection still answer 200 (retried on a fresh connection)', async () => {
    // Warm the pool so there are idle connections to kill.
    await Promise.all(Array.from({ length: 6 }, () => api.admin.get(`/api/entities/${entityId}/records?limit=5`)));
    expect(await killApiConnections()).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) {
      const res = await api.admin.get(`/api/entities/${entityId}/records?limit=5`);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(5);
    }
  });

  it('while the database cannot be reached, reads and writes answer 503 with Retry-After, and recover by themselves', async () => {
    proxy.cut();
    try {
      expectUnavailable(await api.admin.get(`/api/entities/${entityId}/records`));
      expectUnavailable(await api.admin.post(`/api/entities/${entityId}/records`, { name: 'during the cut' }));
      expectUnavailable(await api.client().get('/api/health'));
    } finally {
      proxy.restore();
    }
    const after = await api.admin.get(`/api/entities/${entityId}/records?limit=200`);
    expect(after.status).toBe(200);
    // The write refused during the cut stored nothing; every earlier record is still there.
    expect(after.body.items.map((r: any) => r.name).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect((await api.admin.post(`/api/entities/${entityId}/records`, { name: 'after', n: 9 })).status).toBe(201);
  });

  it('under steady load with connections killed again and again, nothing answers 500 and no acknowledged write is lost', async () => {
    const statuses: number[] = [];
    const created: number[] = [];
    let stop = false;
    const worker = async (k: number) => {
      for (let i = 0; !stop; i++) {
        const res =
          i % 2 === 0
            ? await api.admin.get(`/api/entities/${entityId}/records?limit=20`)
            : await api.admin.post(`/api/entities/${entityId}/records`, { name: `load ${k}-${i}`, n: i });
        statuses.push(res.status);
        if (res.status === 201) created.push(res.body.id);
        if (res.status >= 500) expectUnavailable(res);
      }
    };
    const workers = Array.from({ length: 6 }, (_, k) => worker(k));
    let kills = 0;
    try {
      for (let round = 0; round < 8; round++) {
        await new Promise((r) => setTimeout(r, 250));
        kills += await killApiConnections();
      }
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    expect(kills).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 500)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 201 || s === 503)).toBe(true);
    expect(created.length).toBeGreaterThan(0);
    for (const id of created) expect((await api.admin.get(`/api/entities/${entityId}/records/${id}`)).status).toBe(200);
  });
});
