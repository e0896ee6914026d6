import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/modules/limits/rate-limiter.service';
import { type Api, makeEntity, startApi, type TestApi, usingMysql } from './support/harness';
import { expectProblem } from './support/problems';

// Issue 8, holes 4 and 5: rate limits must hold under any concurrency. Each test fires its
// requests at once and counts what got through; run on SQLite, on MariaDB (DATABASE_URL) and
// on MariaDB + Redis (REDIS_URL), where the counters live in Redis.

const PASSWORD = 'member-password-1';
const unique = (p: string) => `${p}${randomBytes(4).toString('hex')}`;

async function addMember(api: TestApi): Promise<{ id: string; email: string }> {
  const email = `${unique('c')}@example.com`;
  const res = await api.admin.post('/api/members', { email, name: 'Conc Cat', password: PASSWORD });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.member.id, email };
}

const countOf = (answers: Api[], status: number) => answers.filter((a) => a.status === status).length;

/** Every 429 carries a Retry-After header (whole seconds, at most the window) and the same figure in the body. */
function expectRetryAfter(answers: Api[], windowSeconds: number): void {
  for (const a of answers.filter((x) => x.status === 429)) {
    const header = Number(a.headers.get('retry-after'));
    expect(Number.isInteger(header) && header > 0 && header <= windowSeconds, `Retry-After ${a.headers.get('retry-after')}`).toBe(true);
    expect(a.body.retryAfterSeconds).toBe(header);
  }
}

describe('the rate limiter itself', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it('keeps its counters in Redis when REDIS_URL is set, else in the database', () => {
    expect(api.app.get(RateLimiter).backend).toBe(process.env.REDIS_URL ? 'redis' : usingMysql ? 'mysql' : 'sqlite');
  });

  it('200 parallel reservations over two buckets: exactly the smaller limit succeed, and a refusal counts in neither', async () => {
    const limiter = api.app.get(RateLimiter);
    const a = RateLimiter.bucket('test:a', unique('a'), 30, 600);
    const b = RateLimiter.bucket('test:b', unique('b'), 25, 600);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => limiter.reserve(i % 2 ? [a, b] : [b, a])));
    expect(results.filter((r) => r.ok)).toHaveLength(25);
    for (const r of results.filter((x) => !x.ok)) expect(r).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
    // a took 25, not 200: five more fit in a alone, then it is full.
    const alone = await Promise.all(Array.from({ length: 20 }, () => limiter.reserve([a])));
    expect(alone.filter((r) => r.ok)).toHaveLength(5);
    // A release gives one place back; a reset empties the bucket; a new window starts afresh.
    await limiter.release(b);
    expect((await limiter.reserve([b])).ok).toBe(true);
    expect((await limiter.reserve([b])).ok).toBe(false);
    await limiter.reset(b);
    expect((await Promise.all(Array.from({ length: 30 }, () => limiter.reserve([b])))).filter((r) => r.ok)).toHaveLength(25);
    await limiter.expireAll();
    expect((await limiter.reserve([a])).ok).toBe(true);
  });
});

describe('sign-in throttle under concurrency (hole 4)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { LOGIN_MAX_FAILURES: '5', LOGIN_MAX_FAILURES_PER_IP: '100000', LOGIN_WINDOW_MINUTES: '15' } });
  });
  afterAll(async () => api?.close());

  it('100 parallel sign-ins for one account, 99 wrong and the right one last: 5 are checked, the rest 429, the right one too', async () => {
    const m = await addMember(api);
    const passwords = [...Array.from({ length: 99 }, (_, i) => `wrong-password-${i}`), PASSWORD];
    const answers = await Promise.all(passwords.map((p) => api.client().login(m.email, p)));
    expect(countOf(answers, 401)).toBe(5);
    expect(countOf(answers, 429)).toBe(95);
    expect(answers[99].status).toBe(429);
    expectProblem(answers[99], 429, 'TOO_MANY_ATTEMPTS');
    expectRetryAfter(answers, 15 * 60);
    // Only the checked attempts reached the password check, and each one is audited.
    const failed = (await api.admin.get(`/api/audit?action=auth.login_failed&targetId=${m.id}`)).body.items;
    expect(failed).toHaveLength(5);
    // Still locked afterwards, for the right password too.
    expectProblem(await api.client().login(m.email, PASSWORD), 429, 'TOO_MANY_ATTEMPTS');
  });

  it('parallel sign-ins with the right password, up to the limit, all succeed and leave nothing counted', async () => {
    const m = await addMember(api);
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.client().login(m.email, PASSWORD)));
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
    // Their reservations were given back: five failures are still allowed, then the lock.
    for (let i = 0; i < 5; i++) expectProblem(await api.client().login(m.email, `wrong-${i}-password`), 401, 'INVALID_CREDENTIALS');
    expectProblem(await api.client().login(m.email, PASSWORD), 429, 'TOO_MANY_ATTEMPTS');
  });
});

describe('sign-in throttle per address under concurrency (hole 4)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { LOGIN_MAX_FAILURES: '1000', LOGIN_MAX_FAILURES_PER_IP: '10' } });
  });
  afterAll(async () => api?.close());

  it('60 parallel sign-ins against different accounts from one address: 10 are checked, the rest 429', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, () => api.client().login(`${unique('spray')}@example.com`, 'password-123')));
    expect(countOf(answers, 401)).toBe(10);
    expect(countOf(answers, 429)).toBe(50);
    expectRetryAfter(answers, 15 * 60);
  });
});

describe('public form limit under concurrency (hole 5)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { PUBLIC_FORM_MAX_PER_LINK: '20', PUBLIC_FORM_MAX_PER_IP: '100000', PUBLIC_FORM_WINDOW_SECONDS: '600' } });
  });
  afterAll(async () => api?.close());

  async function publishedLink(): Promise<{ entityId: string; token: string }> {
    const e = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text', required: true }]);
    expect((await api.admin.post(`/api/entities/${e.id}/form/publish`)).status).toBe(200);
    const link = await api.admin.post(`/api/entities/${e.id}/form/public-link`, { exposedFields: ['name'] });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    return { entityId: e.id, token: link.body.token };
  }

  it('60 parallel submits to a fresh link limited to 20: exactly 20 accepted, 40 answered 429, 20 records stored', async () => {
    const { entityId, token } = await publishedLink();
    const anon = api.client();
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => anon.post(`/api/public/forms/${token}/submit`, { name: `burst ${i}` })));
    expect(countOf(answers, 201)).toBe(20);
    expect(countOf(answers, 429)).toBe(40);
    for (const a of answers.filter((x) => x.status === 429)) expectProblem(a, 429, 'RATE_LIMITED');
    expectRetryAfter(answers, 600);
    expect((await api.admin.get(`/api/entities/${entityId}/records/count`)).body.count).toBe(20);
    // Another link is counted on its own.
    const other = await publishedLink();
    expect((await anon.post(`/api/public/forms/${other.token}/submit`, { name: 'other' })).status).toBe(201);
  });
});
