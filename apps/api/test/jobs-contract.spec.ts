import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowStorage } from '../src/common/ids';
import { Db } from '../src/database/db';
import { scratchDatabase } from './support/spawn';
import { type Kernel, startKernel, until, usingRedis } from './support/jobs';

// The job system's contract, run against the driver of the environment: the in-process queue
// (SQLite by default) or BullMQ (DATABASE_URL=mysql://… REDIS_URL=redis://…). docs/jobs.md.
const driver = usingRedis ? 'bullmq' : 'in-process';
const far = () => new Date(Date.now() + 3600_000);

describe(`job system contract (${driver})`, () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let k: Kernel;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    k = await startKernel(scratch.env);
  });
  afterAll(async () => {
    await k?.close();
    await scratch?.cleanup();
  });

  const status = async (id: number) => (await k.repo.find(id))?.status;

  it('uses the driver of the environment', () => {
    expect(k.driver.kind).toBe(driver);
    expect(k.jobs.consuming).toBe(true);
  });

  it('runs a job written in a transaction once after commit, and never one whose transaction rolled back', async () => {
    const kept = await k.db.transaction((tx) => k.outbox.add(tx, { name: 'test.effect', payload: { tag: 'commit' } }));
    await expect(
      k.db.transaction(async (tx) => {
        await k.outbox.add(tx, { name: 'test.effect', payload: { tag: 'rollback' }, key: 'rolled-back' });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    await until(async () => (await status(kept.id)) === 'done', 'committed job done');
    expect(await k.effects('commit')).toHaveLength(1);
    expect(await k.db.query('SELECT id FROM jobs WHERE job_key = ?', ['rolled-back'])).toHaveLength(0);
    expect(await k.effects('rollback')).toHaveLength(0);
  });

  it('adds a job once per idempotency key', async () => {
    const a = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'key' }, key: 'order-42' });
    const b = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'key' }, key: 'order-42' });
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, key: 'order-42', created: false });
    await until(async () => (await status(a.id)) === 'done', 'keyed job done');
    expect(await k.effects('key')).toHaveLength(1);
  });

  it('queues the rows the dispatcher read in one statement (no read back), and a row another dispatcher won is not delivered twice', async () => {
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'read-once' }, runAt: far() });
    const later = nowStorage(new Date(far().getTime() + 60_000));
    const rows = (await k.repo.due(later, 500)).rows.filter((r) => r.id === job.id);
    expect(rows).toHaveLength(1);
    const before = Db.statements;
    const [d] = await k.repo.markQueued([job.id], 'test-dispatcher-a', nowStorage(), rows);
    expect(Db.statements - before).toBe(1);
    expect(d).toMatchObject({ id: job.id, delivery: 1, job: { name: 'test.effect', key: job.key, attempts: 0 } });
    expect(JSON.parse(d!.job!.payload)).toMatchObject({ tag: 'read-once' });
    // The same rows offered again by a second dispatcher: the row is queued already, nothing is won.
    expect(await k.repo.markQueued([job.id], 'test-dispatcher-b', nowStorage(), rows)).toEqual([]);
    expect(await k.repo.find(job.id)).toMatchObject({ status: 'queued', delivery: 1 });
  });

  it('sends a row this process just committed as inserted: its UPDATE to queued, no read of the due rows first', async () => {
    const tapped: string[] = [];
    Db.tap = (sql) => tapped.push(sql.replace(/\s+/g, ' '));
    let job: Awaited<ReturnType<Kernel['outbox']['enqueue']>>;
    try {
      job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'as-inserted' } });
      await until(async () => (await status(job.id)) === 'done', 'committed job done');
    } finally {
      Db.tap = null;
    }
    expect(await k.effects('as-inserted')).toHaveLength(1);
    // After the row's INSERT, the dispatcher's first statement is the UPDATE to queued of that row (it read every due row first: a SELECT).
    const after = tapped.slice(tapped.findIndex((s) => s.startsWith('INSERT INTO jobs')) + 1);
    const first = after.find((s) => s.startsWith("UPDATE jobs SET status = 'queued'") || s.startsWith('SELECT id, run_at, delivery'));
    expect(first).toMatch(/^UPDATE jobs SET status = 'queued'/);
    expect(await k.repo.find(job!.id)).toMatchObject({ status: 'done', delivery: 1, attempts: 1 });
  });

  it('gives at-least-once delivery an exactly-once effect: the same delivery run three times at once, and again after it finished', async () => {
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'dup', sleepMs: 200 }, runAt: far() });
    const [d] = await k.repo.markQueued([job.id], 'test-dispatcher', nowStorage());
    expect(d).toMatchObject({ id: job.id, delivery: 1, job: { name: 'test.effect', attempts: 0 } });
    await Promise.all([k.runner.run(d!), k.runner.run(d!), k.runner.run(d!), k.driver.send([d!])]);
    await until(async () => (await status(job.id)) === 'done', 'duplicated job done');
    await k.runner.run(d!);
    await new Promise((r) => setTimeout(r, 300));
    const effects = await k.effects('dup');
    expect(effects).toHaveLength(1);
    expect((await k.repo.find(job.id))?.attempts).toBe(1);
  });

  it('claims a delivery that carries its queued row in one statement; a row that moved since is claimed from the database', async () => {
    const tapped: string[] = [];
    const claimCounted = async (d: Parameters<typeof k.repo.claim>[0], token: string) => {
      tapped.length = 0;
      Db.tap = (sql) => tapped.push(sql);
      try {
        return await k.repo.claim(d, token, 'counting-worker', nowStorage(), nowStorage(new Date(Date.now() + 60_000)));
      } finally {
        Db.tap = null;
      }
    };
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'fast-claim' }, runAt: far() });
    const [d] = await k.repo.markQueued([job.id], 'test-dispatcher', nowStorage());
    const claimed = await claimCounted(d!, 'fast-token');
    expect(tapped).toHaveLength(1);
    expect(claimed).toEqual({
      id: job.id,
      job_key: job.key,
      name: 'test.effect',
      payload: JSON.stringify({ tag: 'fast-claim' }),
      attempts: 1,
      max_attempts: 5,
    });
    // The same delivery again: the row is running now, so nothing is claimed (the fallback finds no match either).
    expect(await claimCounted(d!, 'second-token')).toBeNull();
    // A delivery whose carried row is stale (attempts moved: an earlier run was given back) is claimed the long way, with the true attempts.
    const other = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'stale-claim' }, runAt: far() });
    const [q] = await k.repo.markQueued([other.id], 'test-dispatcher', nowStorage());
    const stale = { ...q!, job: { ...q!.job!, attempts: q!.job!.attempts + 3 } };
    const slow = await claimCounted(stale, 'slow-token');
    expect(tapped).toHaveLength(3); // the compare-and-set that matched nothing, the claim, its read

    expect(slow).toMatchObject({ id: other.id, attempts: 1 });
  });

  it('retries a failing handler from the database and records the effect once', async () => {
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'retry', failTimes: 1 } });
    await until(async () => (await status(job.id)) === 'done', 'retried job done');
    const row = await k.repo.find(job.id);
    expect(row?.attempts).toBe(2);
    expect(await k.effects('retry')).toEqual([expect.objectContaining({ job_id: job.id, attempt: 2 })]);
  });

  it('gives a job up as failed after its attempts, keeping the error', async () => {
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'hopeless', failTimes: 99 }, maxAttempts: 1 });
    await until(async () => (await status(job.id)) === 'failed', 'job failed');
    expect((await k.repo.find(job.id))?.last_error).toBe('planned failure 1');
    expect(await k.effects('hopeless')).toHaveLength(0);
  });

  it('repairs a job whose worker died after claiming it: the sweeper hands it to another run', async () => {
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'ghost' }, runAt: far() });
    const [d] = await k.repo.markQueued([job.id], 'test-dispatcher', nowStorage());
    const claimed = await k.repo.claim(d!, 'ghost-token', 'ghost-worker', nowStorage(), nowStorage(new Date(Date.now() + 150)));
    expect(claimed?.attempts).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    await k.sweeper.sweep(); // the periodic sweep may come first; either repairs it
    await until(async () => (await status(job.id)) === 'done', 'repaired job done');
    expect(await k.effects('ghost')).toEqual([expect.objectContaining({ attempt: 2 })]);
    // The dead worker's late completion changes nothing.
    expect(await k.repo.finish(k.db, job.id, 'ghost-token', nowStorage())).toBe(false);
  });

  it('re-sends a delivery the queue lost (Redis flushed, a process died holding it)', async () => {
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'lost' }, runAt: far() });
    await k.repo.markQueued([job.id], 'dispatcher-that-died', nowStorage());
    // Only the sweeper can bring it back: the row says queued, and the queue never had it.
    await until(async () => (await status(job.id)) === 'done', 'lost delivery done');
    expect(await k.effects('lost')).toHaveLength(1);
  });

  it('refuses unknown job types and oversized payloads with a named error, storing nothing', async () => {
    await expect(k.outbox.enqueue({ name: 'no.such.job' })).rejects.toMatchObject({ code: 'JOB_TYPE_UNKNOWN' });
    await expect(k.outbox.enqueue({ name: 'test.effect', payload: { blob: 'x'.repeat(20_000) } })).rejects.toMatchObject({ code: 'JOB_PAYLOAD_TOO_LARGE' });
    await expect(k.outbox.enqueue({ name: 'test.effect', maxAttempts: 0 })).rejects.toMatchObject({ code: 'INVALID_JOB' });
  });

  it('fires a delayed job after a restart (the delay lives in the database, not in the queue)', async () => {
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'delayed' }, delayMs: 1500 });
    await k.close();
    k = await startKernel(scratch.env);
    await until(async () => (await status(job.id)) === 'done', 'delayed job done after restart');
    expect(await k.effects('delayed')).toHaveLength(1);
    const row = await k.repo.find(job.id);
    expect(String(row?.finished_at) >= String(row?.run_at)).toBe(true);
  });

  it('reports health: consumers, queue depth, oldest job age, outbox backlog', async () => {
    await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'later' }, runAt: far() });
    const h = await k.jobs.health();
    expect(h.driver).toBe(driver);
    expect(h.ready).toBe(true);
    expect(h.consumers.map((c) => c.role)).toContain('api');
    expect(h.scheduled).toBeGreaterThanOrEqual(1);
    expect(h.queueDepth).toBeGreaterThanOrEqual(0);
    expect(h.failed).toBeGreaterThanOrEqual(1);
  });
});
