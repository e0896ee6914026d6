import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import type { Bucket, LimitStore, Reservation } from './limit-store';

/** A deadlock or lock-wait timeout on MySQL: the transaction was rolled back and may be retried. */
const isRetryable = (err: unknown) => {
  const errno = (err as { errno?: number; driverError?: { errno?: number } }).driverError?.errno ?? (err as { errno?: number }).errno;
  return errno === 1213 || errno === 1205;
};

class Refused extends Error {
  constructor(readonly retryAfterMs: number) {
    super('refused');
  }
}

/**
 * Counters in the `rate_limits` table: the only SQL of the limits module. A reservation is one
 * transaction: per bucket (in key order, so two reservations never wait on each other in a
 * cycle) a single upsert that increments the counter, or starts a new window when the old one
 * has ended, and holds the row lock until commit; then one read of the counters. Over a limit
 * the transaction rolls back, so a refused request counts nowhere. Nothing is read before it is
 * written, so parallel requests cannot all see the same old count.
 */
@Injectable()
export class LimitsRepository implements LimitStore {
  readonly backend: 'mysql' | 'sqlite';

  constructor(private readonly db: Db) {
    this.backend = db.dialect;
  }

  async reserve(buckets: Bucket[], nowMs: number): Promise<Reservation> {
    const sorted = [...buckets].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.transaction(async (tx) => {
          for (const b of sorted) await this.increment(tx, b, nowMs);
          const rows = await tx.query<{ k: string; hits: number; expires_at: number | string }>(
            `SELECT k, hits, expires_at FROM rate_limits WHERE k IN (${sorted.map(() => '?').join(', ')})`,
            sorted.map((b) => b.key),
          );
          const over = rows.filter((r) => Number(r.hits) > sorted.find((b) => b.key === r.k)!.limit);
          if (over.length) throw new Refused(Math.max(...over.map((r) => Number(r.expires_at) - nowMs)));
        });
        return { ok: true };
      } catch (err) {
        if (err instanceof Refused) return { ok: false, retryAfterMs: err.retryAfterMs };
        if (attempt < 4 && isRetryable(err)) continue;
        throw err;
      }
    }
  }

  private async increment(tx: Executor, b: Bucket, nowMs: number): Promise<void> {
    const expires = nowMs + b.windowMs;
    if (tx.dialect === 'mysql') {
      // Assignments run left to right: `hits` still sees the old expires_at.
      await tx.run(
        'INSERT INTO rate_limits (k, hits, expires_at) VALUES (?, 1, ?) ON DUPLICATE KEY UPDATE hits = IF(expires_at <= ?, 1, hits + 1), expires_at = IF(expires_at <= ?, ?, expires_at)',
        [b.key, expires, nowMs, nowMs, expires],
      );
    } else {
      await tx.run(
        'INSERT INTO rate_limits (k, hits, expires_at) VALUES (?, 1, ?) ON CONFLICT (k) DO UPDATE SET hits = CASE WHEN expires_at <= ? THEN 1 ELSE hits + 1 END, expires_at = CASE WHEN expires_at <= ? THEN ? ELSE expires_at END',
        [b.key, expires, nowMs, nowMs, expires],
      );
    }
  }

  async release(key: string, nowMs: number): Promise<void> {
    await this.db.run('UPDATE rate_limits SET hits = hits - 1 WHERE k = ? AND hits > 0 AND expires_at > ?', [key, nowMs]);
  }

  async reset(key: string): Promise<void> {
    await this.db.run('DELETE FROM rate_limits WHERE k = ?', [key]);
  }

  async prune(nowMs: number): Promise<void> {
    await this.db.run('DELETE FROM rate_limits WHERE expires_at <= ?', [nowMs]);
  }

  /** Test support: every window ends now (as if it had passed). */
  async expireAll(): Promise<void> {
    await this.db.run('UPDATE rate_limits SET expires_at = 0');
  }

  async close(): Promise<void> {}
}
