import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { nowStorage } from '../../common/ids';
import { Db } from '../../database/db';
import { type DueRow, JobsRepository } from './jobs.repository';
import { QUEUE_DRIVER, type QueueDriver } from './jobs.types';

const BATCH = 200;
/** The longest the dispatcher sleeps when it knows of nothing due (new rows wake it; so does the poll). */
const MAX_SLEEP_MS = 60_000;

/**
 * Hands due rows to the queue: right after the commit that wrote them (`kick`), at the due
 * time of delayed rows (a timer on the earliest `run_at`), and on a poll (rows other processes
 * wrote, retries, rows a crash left behind). A row moves pending → queued with a compare-and-set,
 * so of several dispatchers one sends each row; a send that fails (Redis down) puts it back.
 */
@Injectable()
export class JobDispatcher {
  private readonly log = new Logger('Jobs');
  private readonly token = randomUUID();
  private enabled = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private pollTimer: NodeJS.Timeout | null = null;
  private sendFailures = 0;
  /** Rows this process just committed, due now: sent without reading the due rows first. */
  private committed: DueRow[] = [];
  /** A kick without rows (start, poll, timer, sweeper) since the last pass: read every due row. */
  private sweep = false;

  constructor(
    private readonly repo: JobsRepository,
    @Inject(QUEUE_DRIVER) private readonly driver: QueueDriver,
  ) {}

  /** Starts dispatching; `pollMs` > 0 also polls for due rows (consuming processes). */
  start(pollMs: number): void {
    this.enabled = true;
    if (pollMs > 0) this.pollTimer = setInterval(() => this.kick(), pollMs);
    this.kick();
  }

  async stop(): Promise<void> {
    this.enabled = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.timer) clearTimeout(this.timer);
    this.pollTimer = this.timer = null;
    await this.running;
  }

  /**
   * Something may be due at `at` (default now): dispatch now, or wake up then. `row` is the
   * pending row a commit of this process just wrote (its outbox insert): when it is due now, the
   * pass marks and sends it as it is, without the read of every due row (other processes' rows,
   * retries and rows a failed send left are the poll's, the timer's and the sweeper's kicks).
   */
  kick(at: Date = new Date(), row?: DueRow): void {
    if (!this.enabled) return;
    const wait = at.getTime() - Date.now();
    if (wait > 5) return this.wakeAt(at.getTime());
    if (row && this.committed.length < BATCH) this.committed.push(row);
    else this.sweep = true;
    this.startLoop();
  }

  private startLoop(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = Db.background(() => this.loop()).finally(() => {
      this.running = null;
      // Rows committed after the loop's last look: one more pass for them.
      if (this.enabled && (this.committed.length || this.sweep)) this.startLoop();
    });
  }

  /** One pass until nothing due is left; answers how many rows were sent. */
  async dispatchDue(): Promise<number> {
    this.sweep = true;
    return (await this.pass()).sent;
  }

  /** The pass, with the due time of the next pending row when it saw it (`known`). */
  private async pass(): Promise<{ sent: number; nextAt: string | null; known: boolean }> {
    let sent = 0;
    if (this.committed.length) {
      const rows = this.committed;
      this.committed = [];
      // The rows as inserted (pending, delivery 0, not attempted): one UPDATE, no read (a row another dispatcher took is read back by markQueued).
      const won = await this.repo
        .markQueued(
          rows.map((r) => r.id),
          this.token,
          nowStorage(),
          rows,
        )
        .catch((err: unknown) => {
          // They stay pending: the next pass reads every due row.
          this.sweep = true;
          throw err;
        });
      if (won.length) {
        if (!(await this.sendOrUnqueue(won))) return { sent, nextAt: null, known: false };
        sent += won.length;
      }
      // Only rows of this process's commits were asked for: nothing else to read (the timer of a delayed row is set already).
      if (!this.sweep && !this.sendFailures) return { sent, nextAt: null, known: true };
    }
    this.sweep = false;
    for (;;) {
      const { ids, rows, nextAt } = await this.repo.due(nowStorage(), BATCH);
      if (ids.length === 0) return { sent, nextAt, known: true };
      const won = await this.repo.markQueued(ids, this.token, nowStorage(), rows);
      if (won.length === 0) continue;
      if (!(await this.sendOrUnqueue(won))) return { sent, nextAt: null, known: false };
      sent += won.length;
      // A short batch saw every pending row: nothing else was due, and `nextAt` is the next one's time (null: none).
      if (ids.length < BATCH) return { sent, nextAt, known: true };
    }
  }

  /** Sends rows this process marked queued; when the queue is unreachable they go back to pending (false). */
  private async sendOrUnqueue(won: Parameters<QueueDriver['send']>[0]): Promise<boolean> {
    try {
      await this.driver.send(won);
      this.sendFailures = 0;
      return true;
    } catch (err) {
      await this.repo.unqueue(won);
      if (this.sendFailures++ % 20 === 0) this.log.warn(`Queue unreachable, ${won.length} job(s) stay in the outbox: ${(err as Error).message}`);
      return false;
    }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        const pass = await this.pass();
        const next = pass.known ? pass.nextAt : await this.repo.nextDueAt();
        const at = next ? Date.parse(next.replace(' ', 'T') + 'Z') : null;
        // After a failed send, back off instead of spinning on the rows that stayed due.
        if (at !== null) this.wakeAt(this.sendFailures ? Math.max(at, Date.now() + Math.min(30_000, 500 * this.sendFailures)) : at);
      } catch (err) {
        if (this.enabled) this.log.warn(`Dispatch failed, the poll retries: ${(err as Error).message}`);
      }
    } while (this.again && this.enabled);
  }

  private wakeAt(at: number): void {
    if (!this.enabled) return;
    const when = Math.min(at, Date.now() + MAX_SLEEP_MS);
    if (this.timer && this.timerAt <= when) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = when;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Infinity;
        this.kick();
      },
      Math.max(0, when - Date.now()),
    );
  }
}
