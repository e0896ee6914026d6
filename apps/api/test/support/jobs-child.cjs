// A real worker process for the job-system tests: apps/worker's startWorker (built code) plus the
// test job types. Prints "worker-ready" once consuming.
require('reflect-metadata');
const { Inject, Injectable, Module } = require('@nestjs/common');
const { startWorker } = require('@crm/worker/dist/bootstrap');
const { parseConfigOrThrow } = require('@crm/api/dist/common/config');
const { Db } = require('@crm/api/dist/database/db');
const { JobRegistry } = require('@crm/api/dist/modules/jobs/job-registry');
const { JobsModule } = require('@crm/api/dist/modules/jobs/jobs.module');
const { registerTestJobs, createEffectsTable } = require('./jobs-test-handlers.cjs');

class TestJobs {
  constructor(registry, db) {
    this.registry = registry;
    this.db = db;
  }
  async onModuleInit() {
    await createEffectsTable(this.db);
    registerTestJobs(this.registry);
  }
}
Inject(JobRegistry)(TestJobs, undefined, 0);
Inject(Db)(TestJobs, undefined, 1);
Injectable()(TestJobs);
class TestJobsModule {}
Module({ imports: [JobsModule], providers: [TestJobs] })(TestJobsModule);

startWorker(parseConfigOrThrow(process.env), { consumers: [TestJobsModule] })
  .then(() => process.stdout.write('worker-ready\n'))
  .catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
