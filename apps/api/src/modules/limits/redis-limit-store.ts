import Redis from 'ioredis';
import type { Bucket, LimitStore, Reservation } from './limit-store';

// KEYS: the buckets; ARGV: limit and window (ms) of each. Runs atomically in Redis: if any
// bucket is full, nothing is counted and the longest remaining window is returned; otherwise
// every bucket is incremented, a new one expiring one window after its first hit.
const RESERVE = `
local wait = 0
for i = 1, #KEYS do
  local hits = tonumber(redis.call('get', KEYS[i]) or '0')
  if hits >= tonumber(ARGV[2 * i - 1]) then
    local ttl = redis.call('pttl', KEYS[i])
    if ttl < 0 then ttl = tonumber(ARGV[2 * i]) end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i = 1, #KEYS do
  if redis.call('incr', KEYS[i]) == 1 then redis.call('pexpire', KEYS[i], ARGV[2 * i]) end
end
return 0
`;

const RELEASE = `
local hits = tonumber(redis.call('get', KEYS[1]) or '0')
if hits > 0 then redis.call('decr', KEYS[1]) end
return hits
`;

type LimitRedis = Redis & {
  limitReserve(n: number, ...args: (string | number)[]): Promise<number>;
  limitRelease(key: string): Promise<number>;
};

/** Counters in Redis (REDIS_URL): one Lua script per reservation, so it is atomic across API nodes. */
export class RedisLimitStore implements LimitStore {
  readonly backend = 'redis' as const;
  private readonly redis: LimitRedis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false }) as LimitRedis;
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('limitReserve', { lua: RESERVE });
    this.redis.defineCommand('limitRelease', { numberOfKeys: 1, lua: RELEASE });
  }

  async reserve(buckets: Bucket[], _nowMs: number): Promise<Reservation> {
    const keys = buckets.map((b) => this.prefix + b.key);
    const args = buckets.flatMap((b) => [b.limit, b.windowMs]);
    const wait = Number(await this.redis.limitReserve(keys.length, ...keys, ...args));
    return wait > 0 ? { ok: false, retryAfterMs: wait } : { ok: true };
  }

  async release(key: string): Promise<void> {
    await this.redis.limitRelease(this.prefix + key);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async prune(): Promise<void> {}

  async expireAll(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      if (keys.length) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
