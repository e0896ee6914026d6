import { Injectable } from '@nestjs/common';
import { CronExpressionParser } from 'cron-parser';
import { AppError } from '../../common/errors';
import type { JobHandler, JobTypeOptions, ScheduleSpec } from './jobs.types';

const NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

interface JobType {
  handler: JobHandler;
  maxAttempts: number;
}

/**
 * Job types and schedules, registered at start-up by the modules that own them (upper layers
 * register into this lower one, as record-event subscribers do): `registry.register('workflow.timer', handler)`
 * in the module's `onModuleInit`. Every process registers the same types, so an API process can
 * refuse an unknown name when the job is asked for, even where only workers run the handlers.
 */
@Injectable()
export class JobRegistry {
  private readonly types = new Map<string, JobType>();
  private readonly schedules = new Map<string, ScheduleSpec & { job: string; spec: string }>();

  register(name: string, handler: JobHandler, options: JobTypeOptions = {}): void {
    if (!NAME.test(name) || name.length > 100)
      throw new AppError('INVALID_JOB', `Job type name "${name}" must be lower-case words joined by dots, at most 100 characters`);
    if (this.types.has(name)) throw new AppError('INVALID_JOB', `Job type "${name}" is registered twice`);
    this.types.set(name, { handler, maxAttempts: options.maxAttempts ?? 5 });
  }

  /** Adds a periodic job (its type must be registered too). Fires from one process per due time. */
  schedule(spec: ScheduleSpec): void {
    if (!NAME.test(spec.name)) throw new AppError('INVALID_JOB', `Schedule name "${spec.name}" must be lower-case words joined by dots`);
    if (this.schedules.has(spec.name)) throw new AppError('INVALID_JOB', `Schedule "${spec.name}" is registered twice`);
    if ((spec.everyMs === undefined) === (spec.cron === undefined))
      throw new AppError('INVALID_JOB', `Schedule "${spec.name}" needs exactly one of everyMs or cron`);
    if (spec.everyMs !== undefined && (!Number.isInteger(spec.everyMs) || spec.everyMs < 1000)) {
      throw new AppError('INVALID_JOB', `Schedule "${spec.name}": everyMs must be a whole number of at least 1000`);
    }
    if (spec.cron !== undefined) {
      try {
        CronExpressionParser.parse(spec.cron, { tz: 'UTC' });
      } catch (err) {
        throw new AppError('INVALID_JOB', `Schedule "${spec.name}": cron "${spec.cron}" is invalid (${(err as Error).message})`);
      }
    }
    this.schedules.set(spec.name, { ...spec, job: spec.job ?? spec.name, spec: spec.cron !== undefined ? `cron:${spec.cron}` : `every:${spec.everyMs}` });
  }

  get(name: string): JobType | undefined {
    return this.types.get(name);
  }

  getOrThrow(name: string): JobType {
    const t = this.types.get(name);
    if (!t) throw new AppError('JOB_TYPE_UNKNOWN', `No job type "${name}" is registered (known: ${[...this.types.keys()].sort().join(', ') || 'none'})`);
    return t;
  }

  allSchedules(): (ScheduleSpec & { job: string; spec: string })[] {
    return [...this.schedules.values()];
  }

  findSchedule(name: string): (ScheduleSpec & { job: string; spec: string }) | undefined {
    return this.schedules.get(name);
  }
}

/** The next due time of a schedule strictly after `after`. */
export function nextScheduleTime(spec: { everyMs?: number; cron?: string }, after: Date): Date {
  if (spec.everyMs !== undefined) return new Date(Math.floor(after.getTime() / spec.everyMs) * spec.everyMs + spec.everyMs);
  return CronExpressionParser.parse(spec.cron!, { tz: 'UTC', currentDate: after }).next().toDate();
}
