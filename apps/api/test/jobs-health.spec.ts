import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/harness';
import { OrgSeed } from './support/org';

describe('GET /api/health/jobs', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it('answers a workspace admin with readiness, queue depth, oldest job age and outbox backlog', async () => {
    const res = await api.admin.get('/api/health/jobs');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      driver: process.env.REDIS_URL ? 'bullmq' : 'in-process',
      outboxBacklog: expect.any(Number),
      oldestJobAgeSeconds: expect.any(Number),
      due: expect.any(Number),
      running: expect.any(Number),
      failed: expect.any(Number),
    });
    if (process.env.REDIS_URL) {
      // The API leaves consuming to apps/worker when Redis is configured: no consumer here, so not ready.
      expect(res.body.consumers).toEqual([]);
      expect(res.body.ready).toBe(false);
    } else {
      expect(res.body.ready).toBe(true);
      expect(res.body.consumers).toEqual([expect.objectContaining({ role: 'api', driver: 'in-process' })]);
    }
  });

  it('refuses members and anonymous callers', async () => {
    const org = await OrgSeed.of(api);
    const member = await org.login(await org.member('Plain member'));
    expect((await member.get('/api/health/jobs')).status).toBe(403);
    expect((await api.client().get('/api/health/jobs')).status).toBe(401);
  });

  it('is in the OpenAPI document with its response schema', async () => {
    const doc = (await api.client().get('/api/openapi.json')).body;
    const op = doc.paths['/api/health/jobs']?.get;
    expect(op).toBeDefined();
    expect(op.responses['200'].content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['ready', 'queueDepth', 'oldestJobAgeSeconds', 'outboxBacklog']),
    );
  });
});
