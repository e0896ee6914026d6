import { Injectable, type OnModuleInit } from '@nestjs/common';
import { nowStorage } from '../../common/ids';
import { JobRegistry } from './job-registry';
import { JobsRepository } from './jobs.repository';

export const PURGE_JOB = 'jobs.purge';
const KEEP_DONE_MS = 7 * 24 * 3600 * 1000;
const PURGE_BATCH = 5000;

/**
 * The job system's own periodic job: done rows older than a week are deleted (failed rows stay
 * for an operator to read), so the table holds recent history and not every job ever run.
 */
@Injectable()
export class JobsMaintenance implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly repo: JobsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(PURGE_JOB, async () => {
      const before = nowStorage(new Date(Date.now() - KEEP_DONE_MS));
      while ((await this.repo.purgeDone(before, PURGE_BATCH)) === PURGE_BATCH);
    });
    this.registry.schedule({ name: PURGE_JOB, cron: '17 3 * * *' });
  }
}
