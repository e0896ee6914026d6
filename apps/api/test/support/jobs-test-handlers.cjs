// Job types of the job-system tests, shared by the in-process tests (TypeScript sources) and the
// child-process worker (jobs-child.cjs, built code). Each records its effect in test_job_effects
// inside ctx.complete, so the effect and the job's completion commit together.
const sleep = (ms, signal) =>
  new Promise((ok, fail) => {
    const t = setTimeout(ok, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      fail(signal.reason ?? new Error('aborted'));
    });
  });

async function createEffectsTable(db) {
  const text = db.dialect === 'mysql' ? 'VARCHAR(200)' : 'TEXT';
  await db.run(`CREATE TABLE IF NOT EXISTS test_job_effects (job_id BIGINT NOT NULL, tag ${text} NOT NULL, attempt INTEGER NOT NULL, pid INTEGER NOT NULL)`);
}

function registerTestJobs(registry, env = process.env) {
  const effect = async (ctx, tag) => {
    const p = ctx.payload;
    if (p.log) process.stdout.write(`job-start ${ctx.id} ${ctx.attempt}\n`);
    if (p.sleepMs) await sleep(p.sleepMs, ctx.signal);
    if (p.failTimes && ctx.attempt <= p.failTimes) throw new Error(`planned failure ${ctx.attempt}`);
    await ctx.complete((tx) => tx.run('INSERT INTO test_job_effects (job_id, tag, attempt, pid) VALUES (?, ?, ?, ?)', [ctx.id, tag, ctx.attempt, process.pid]));
    if (p.log) process.stdout.write(`job-done ${ctx.id}\n`);
  };
  registry.register('test.effect', (ctx) => effect(ctx, String(ctx.payload.tag ?? '')), { maxAttempts: 5 });
  registry.register('test.tick', (ctx) => effect(ctx, `tick:${ctx.payload.scheduledAt}`));
  if (env.TEST_SCHEDULE_MS) registry.schedule({ name: 'test.tick', everyMs: Number(env.TEST_SCHEDULE_MS) });
}

module.exports = { registerTestJobs, createEffectsTable, sleep };
