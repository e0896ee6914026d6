import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { nowStorage } from '../../common/ids';
import { Db } from '../../database/db';
import { JobDispatcher } from './job-dispatcher';
import { JobsRepository } from './jobs.repository';
import { QUEUE_DRIVER, type QueueDriver } from './jobs.types';

const BATCH = 500;

export interface SweepResult {
  /** Running jobs whose worker died (lease expired), made due again or given up. */
  repairedClaims: number;
  /** Queued jobs the queue no longer holds (Redis lost them, a process died holding them), made due again. */
  redelivered: number;
}

/**
 * Repairs what a crash or a lost queue leaves behind, from the database alone: claims whose
 * lease ran out go back to pending (or failed, when their attempts are used up), and queued
 * rows the queue no longer holds go back to pending; the dispatcher then sends them again.
 * Runs in every consuming process; every repair is a compare-and-set, so they never collide.
 */
@Injectable()
export class JobSweeper {
  private readonly log = new Logger('Jobs');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<SweepResult> | null = null;

  constructor(
    private readonly repo: JobsRepository,
    private readonly dispatcher: JobDispatcher,
    @Inject(QUEUE_DRIVER) private readonly driver: QueueDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep().catch((err) => this.log.warn(`Sweep failed: ${(err as Error).message}`)), this.config.jobs.sweepMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping?.catch(() => undefined);
  }

  sweep(): Promise<SweepResult> {
    this.sweeping ??= Db.background(() => this.sweepOnce()).finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<SweepResult> {
    const now = nowStorage();
    let repairedClaims = 0;
    for (const c of await this.repo.expiredClaims(now, BATCH)) {
      if (await this.repo.releaseExpired(c.id, c.claim_token, now, c.attempts >= c.max_attempts)) repairedClaims++;
    }
    // A delivery younger than a sweep period may still be on its way into the queue.
    const before = nowStorage(new Date(Date.now() - this.config.jobs.sweepMs));
    const lost = [];
    for (const d of await this.repo.queuedBefore(before, BATCH)) {
      let held: boolean;
      try {
        held = await this.driver.holds(d);
      } catch {
        break; // the queue is unreachable: ask again next sweep
      }
      if (!held) lost.push(d);
    }
    await this.repo.requeueLost(lost, nowStorage());
    if (repairedClaims || lost.length) {
      this.log.log(`Sweeper: ${repairedClaims} stale claim(s) repaired, ${lost.length} lost deliveries re-dispatched`);
      this.dispatcher.kick();
    }
    return { repairedClaims, redelivered: lost.length };
  }
}
