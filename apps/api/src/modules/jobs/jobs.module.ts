import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { BullmqDriver } from './drivers/bullmq.driver';
import { InProcessDriver } from './drivers/in-process.driver';
import { JobDispatcher } from './job-dispatcher';
import { JobOutbox } from './job-outbox';
import { JobRegistry } from './job-registry';
import { JobRunner } from './job-runner';
import { JobScheduler } from './job-scheduler';
import { JobSweeper } from './job-sweeper';
import { JobsMaintenance } from './jobs-maintenance';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { QUEUE_DRIVER } from './jobs.types';

/**
 * The job system (docs/jobs.md). Features import this module and use `JobRegistry` (register
 * job types and schedules at start-up) and `JobOutbox` (ask for work, in their transaction).
 */
@Module({
  providers: [
    {
      provide: QUEUE_DRIVER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.redisUrl ? new BullmqDriver(config.redisUrl, config.jobs.redisPrefix) : new InProcessDriver()),
    },
    JobsRepository,
    JobRegistry,
    JobDispatcher,
    JobOutbox,
    JobRunner,
    JobSweeper,
    JobScheduler,
    JobsService,
    JobsMaintenance,
  ],
  exports: [JobRegistry, JobOutbox, JobsService, JobSweeper, JobScheduler, JobDispatcher, JobsRepository],
})
export class JobsModule {}
