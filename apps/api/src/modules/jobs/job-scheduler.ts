import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { nowStorage } from '../../common/ids';
import { Db } from '../../database/db';
import { JobOutbox } from './job-outbox';
import { JobRegistry, nextScheduleTime } from './job-registry';
import { JobsRepository } from './jobs.repository';

const toDate = (s: string) => new Date(s.replace(' ', 'T') + 'Z');

/**
 * Fires periodic jobs. Each schedule's next due time is a row; a tick is one transaction that
 * advances it with a compare-and-set and writes the job (key `schedule:<name>:<due time>`), so
 * with any number of processes exactly one fires each due time, and a crash fires it later
 * rather than never. Missed due times (all processes down) fire once, not once per miss.
 */
@Injectable()
export class JobScheduler {
  private readonly log = new Logger('Jobs');
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly repo: JobsRepository,
    private readonly registry: JobRegistry,
    private readonly outbox: JobOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Writes each registered schedule's row (keeping its due time when its spec is unchanged). */
  async install(): Promise<void> {
    for (const s of this.registry.allSchedules()) {
      this.registry.getOrThrow(s.job);
      await this.repo.upsertSchedule(s.name, s.spec, nowStorage(nextScheduleTime(s, new Date())));
    }
  }

  start(): void {
    if (this.registry.allSchedules().length === 0) return;
    this.timer = setInterval(() => void this.tick().catch((err) => this.log.warn(`Schedule tick failed: ${(err as Error).message}`)), this.config.jobs.pollMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => undefined);
  }

  /** Fires the due schedules this process wins; answers how many it fired. */
  tick(): Promise<number> {
    this.ticking ??= Db.background(() => this.tickOnce()).finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async tickOnce(): Promise<number> {
    let fired = 0;
    for (const due of await this.repo.dueSchedules(nowStorage())) {
      const spec = this.registry.findSchedule(due.name);
      if (!spec) continue; // a schedule another version of the code registered
      const now = new Date();
      const next = nowStorage(nextScheduleTime(spec, now > toDate(due.next_run_at) ? now : toDate(due.next_run_at)));
      const won = await this.db.transaction(async (tx) => {
        if (!(await this.repo.advanceSchedule(tx, due.name, due.next_run_at, next, nowStorage(now)))) return false;
        await this.outbox.add(tx, {
          name: spec.job,
          payload: { ...spec.payload, scheduledAt: toDate(due.next_run_at).toISOString() },
          key: `schedule:${due.name}:${due.next_run_at}`,
        });
        return true;
      });
      if (won) fired++;
    }
    return fired;
  }
}
