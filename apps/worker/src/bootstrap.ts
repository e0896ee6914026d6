import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@crm/api/dist/common/config';
import { KernelModule } from '@crm/api/dist/kernel.module';

/**
 * The worker: the kernel (every domain module, the job system among them) and the modules that
 * register job types, without HTTP. Job consumers register in their modules' `onModuleInit`, so
 * they are in place before the job system starts consuming (`onApplicationBootstrap`).
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, consumers: Type[] = []): DynamicModule {
    return { module: WorkerModule, imports: [KernelModule.forRoot({ ...config, jobs: { ...config.jobs, role: 'worker' } }), ...consumers] };
  }
}

export interface WorkerOptions {
  /** Modules that register job types and schedules (feature modules; tests add their own). */
  consumers?: Type[];
  logger?: false | ('log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal')[];
}

/** Boots a worker; SIGTERM/SIGINT stop it (running jobs finish within JOBS_SHUTDOWN_GRACE_SECONDS). */
export async function startWorker(config: AppConfig, opts: WorkerOptions = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, opts.consumers ?? []), {
    logger: opts.logger ?? ['log', 'error', 'warn'],
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  Logger.log(`Worker ready (${config.database.kind}, ${config.redisUrl ? 'BullMQ' : 'in-process queue'}, pid ${process.pid})`, 'Worker');
  return app;
}
