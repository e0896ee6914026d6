/** One counter: at most `limit` reservations per window of `windowMs`, the window starting at its first reservation. */
export interface Bucket {
  key: string;
  limit: number;
  windowMs: number;
}

/** Either every bucket took one more, or none did and the caller may retry after `retryAfterMs`. */
export type Reservation = { ok: true } | { ok: false; retryAfterMs: number };

/** Where counters live: the database (rate_limits) or Redis. Every operation is atomic. */
export interface LimitStore {
  readonly backend: 'mysql' | 'sqlite' | 'redis';
  reserve(buckets: Bucket[], nowMs: number): Promise<Reservation>;
  /** Gives one reservation back (an attempt that turned out not to count). */
  release(key: string, nowMs: number): Promise<void>;
  /** Forgets the bucket (e.g. a successful sign-in clears its account's failures). */
  reset(key: string): Promise<void>;
  /** Drops ended windows (the database; Redis expires keys itself). */
  prune(nowMs: number): Promise<void>;
  /** Test support: ends every window now. */
  expireAll(): Promise<void>;
  close(): Promise<void>;
}
