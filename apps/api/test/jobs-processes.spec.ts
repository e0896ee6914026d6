import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kernel, spawnWorker, startKernel, until, usingRedis } from './support/jobs';
import { freePort, scratchDatabase, type Spawned } from './support/spawn';

// The job system across real processes (apps/worker, built: `npm run build`): kill -9 in the
// middle of a job, SIGTERM, a schedule with two workers, Redis unreachable and back.
const driver = usingRedis ? 'bullmq' : 'in-process';

describe(`job system across processes (${driver})`, () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let k: Kernel;
  const workers: Spawned[] = [];
  const worker = async (env: Record<string, string> = {}) => {
    const w = spawnWorker({ ...scratch.env, ...env });
    workers.push(w);
    await w.waitFor(/worker-ready/);
    return w;
  };

  beforeAll(async () => {
    scratch = await scratchDatabase();
    // The test's own kernel only asks for jobs and reads rows; the workers consume.
    k = await startKernel({ ...scratch.env, JOBS_CONSUME: 'off' });
  });
  afterAll(async () => {
    for (const w of workers) w.proc.kill('SIGKILL');
    await k?.close();
    await scratch?.cleanup();
  });

  const status = async (id: number) => (await k.repo.find(id))?.status;

  it('a worker killed with SIGKILL mid-job: after a restart the job completes exactly once', async () => {
    const a = await worker();
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'kill', sleepMs: 4000, log: true } });
    await a.waitFor(new RegExp(`job-start ${job.id} 1`));
    a.proc.kill('SIGKILL');
    await a.exited;
    expect(await status(job.id)).toBe('running'); // claimed by a dead process
    const b = await worker();
    await until(async () => (await status(job.id)) === 'done', 'killed job done after restart', 60_000);
    const effects = await k.effects('kill');
    expect(effects).toHaveLength(1);
    expect(effects[0]).toMatchObject({ attempt: 2, pid: b.proc.pid });
    await b.stop();
  });

  it('SIGTERM lets the running job finish, then the worker exits', async () => {
    const w = await worker();
    const job = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'term', sleepMs: 1500, log: true } });
    await w.waitFor(new RegExp(`job-start ${job.id} 1`));
    w.proc.kill('SIGTERM');
    await w.exited;
    expect(w.stdout()).toContain(`job-done ${job.id}`);
    expect(await status(job.id)).toBe('done');
    expect(await k.effects('term')).toEqual([expect.objectContaining({ attempt: 1, pid: w.proc.pid })]);
  });

  it('a schedule fires once per due time with two worker processes', async () => {
    const env = { TEST_SCHEDULE_MS: '1000' };
    const one = await worker(env);
    const two = await worker(env);
    await until(async () => (await k.effects()).filter((e) => e.tag.startsWith('tick:')).length >= 4, 'four ticks', 60_000);
    await Promise.all([one.stop(), two.stop()]);
    const ticks = (await k.effects()).filter((e) => e.tag.startsWith('tick:'));
    const perDueTime = new Map<string, number>();
    for (const t of ticks) perDueTime.set(t.tag, (perDueTime.get(t.tag) ?? 0) + 1);
    expect(
      [...perDueTime.values()].every((n) => n === 1),
      JSON.stringify([...perDueTime]),
    ).toBe(true);
    expect(perDueTime.size).toBeGreaterThanOrEqual(4);
  });
});

/** A TCP proxy to Redis that the test can cut and restore: Redis unreachable, then back. */
class CuttableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async up(): Promise<void> {
    if (this.server) return;
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((ok, fail) => {
      this.server!.once('error', fail);
      this.server!.listen(this.port, '127.0.0.1', ok);
    });
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
    this.server = null;
  }
}

describe.runIf(usingRedis)('job system with Redis unreachable, then back (bullmq)', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let k: Kernel;
  let proxy: CuttableProxy;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    const redis = new URL(process.env.REDIS_URL!);
    proxy = new CuttableProxy(await freePort(), { host: redis.hostname, port: Number(redis.port || 6379) });
    await proxy.up();
    k = await startKernel({ ...scratch.env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
  });
  afterAll(async () => {
    await k?.close();
    await proxy?.down();
    await scratch?.cleanup();
  });

  it('loses nothing: jobs asked for while Redis is away (delayed ones too) run once when it is back', async () => {
    const before = await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'before' } });
    await until(async () => (await k.repo.find(before.id))?.status === 'done', 'job before the cut');

    await proxy.down();
    const during = [];
    for (let i = 0; i < 10; i++) during.push(await k.outbox.enqueue({ name: 'test.effect', payload: { tag: `during-${i}` } }));
    during.push(await k.outbox.enqueue({ name: 'test.effect', payload: { tag: 'during-delayed' }, delayMs: 500 }));
    await new Promise((r) => setTimeout(r, 1500));
    const health = await k.jobs.health();
    expect(health.queueDepth).toBeNull();
    expect(health.ready).toBe(false);
    // Each is still in the outbox, or handed to a connection that is waiting for Redis: none ran.
    for (const j of during) expect(['pending', 'queued']).toContain((await k.repo.find(j.id))?.status);
    expect(await k.effects('during-0')).toHaveLength(0);

    await proxy.up();
    await until(
      async () => {
        for (const j of during) if ((await k.repo.find(j.id))?.status !== 'done') return false;
        return true;
      },
      'every job after Redis came back',
      60_000,
    );
    const tags = (await k.effects()).map((e) => e.tag).filter((t) => t.startsWith('during'));
    expect(tags.sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `during-${i}`), 'during-delayed'].sort());
  });
});
