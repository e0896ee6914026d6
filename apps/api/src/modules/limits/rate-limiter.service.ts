import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import type { Bucket, LimitStore } from './limit-store';
import { LimitsRepository } from './limits.repository';
import { RedisLimitStore } from './redis-limit-store';

export type { Bucket } from './limit-store';

/** `2001:db8:1:2::5` → `2001:db8:1:2::/64`; IPv4 and anything unparsable stay as they are. */
export function addressSubject(ip: string): string {
  if (!ip.includes(':') || !ipaddr.IPv6.isValid(ip)) return ip;
  return `${ipaddr.IPv6.parse(ip)
    .parts.slice(0, 4)
    .map((p) => p.toString(16))
    .join(':')}::/64`;
}

/**
 * The one rate-limit mechanism (docs/security.md, "Limits"): fixed windows that start at a
 * bucket's first counted hit, kept in Redis when REDIS_URL is set and in the database
 * otherwise, every reservation atomic. Callers reserve **before** the work they limit (a
 * password check, a record create); a refused reservation counts nowhere.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly store: LimitStore;

  constructor(repo: LimitsRepository, @Inject(APP_CONFIG) config: AppConfig) {
    this.store = config.redisUrl ? new RedisLimitStore(config.redisUrl, `${config.redisKeyPrefix}limit:`) : repo;
  }

  /** Where the counters live. */
  get backend(): LimitStore['backend'] {
    return this.store.backend;
  }

  /** A bucket for `subject` (an account, an address, a link), hashed so no key holds it in clear and keys stay short. */
  static bucket(name: string, subject: string, limit: number, windowSeconds: number): Bucket {
    return { key: `${name}:${createHash('sha256').update(subject).digest('hex').slice(0, 40)}`, limit, windowMs: windowSeconds * 1000 };
  }

  /**
   * A bucket for a client address. An IPv6 client usually holds a whole /64 and could rotate
   * through it, so IPv6 addresses count per /64; IPv4 per address.
   */
  static addressBucket(name: string, ip: string, limit: number, windowSeconds: number): Bucket {
    return RateLimiter.bucket(name, addressSubject(ip), limit, windowSeconds);
  }

  /** Takes one from every bucket, or from none; when refused, the whole seconds until the fullest bucket's window ends. */
  async reserve(buckets: Bucket[]): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
    const now = Date.now();
    const res = await this.store.reserve(buckets, now);
    if (Math.random() < 0.01) await this.store.prune(now);
    return res.ok ? res : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(res.retryAfterMs / 1000)) };
  }

  /** Gives back one reservation of the bucket (the attempt did not count after all). */
  release(bucket: Bucket): Promise<void> {
    return this.store.release(bucket.key, Date.now());
  }

  /** Empties the bucket. */
  reset(bucket: Bucket): Promise<void> {
    return this.store.reset(bucket.key);
  }

  /** Test support: as if every window had passed. */
  expireAll(): Promise<void> {
    return this.store.expireAll();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.store instanceof RedisLimitStore) await this.store.close();
  }
}
