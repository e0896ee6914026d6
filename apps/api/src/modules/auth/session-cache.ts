import { LRUCache } from 'lru-cache';
import type { Executor } from '../../database/db';

/**
 * Signed-in sessions, looked up by token hash, remembered for `SESSION_CACHE_MS` so a burst of
 * requests with one cookie pays one lookup (issue 9, item 8: each statement costs the API
 * ~0.2 ms of CPU on a 2-core VM). Everything that can end a session or change what its actor
 * may do clears the whole cache, in this process at once and again after its transaction
 * commits (so a request that read the old row in between cannot keep it): logout, logout
 * everywhere, ended sessions (disable, password reset, invite accepted) and every move of the
 * workspace's ACL version (members, departments, roles, app admins, permission groups).
 * Another API process sees such a change within `SESSION_CACHE_MS` at the latest.
 */
export const SESSION_CACHE_MS = 2000;

interface Entry<T> {
  value: T;
  /** The session's own expiry (epoch ms), checked on every hit. */
  expiresAt: number;
}

export class SessionCache<T extends NonNullable<unknown>> {
  private readonly lru = new LRUCache<string, Entry<T>>({ max: 10_000, ttl: SESSION_CACHE_MS, ttlAutopurge: false });
  /** Moves on every clear: a lookup that started before a clear does not store its (maybe old) row. */
  private generation = 0;

  get(tokenHash: string, now: number): T | undefined {
    const hit = this.lru.get(tokenHash);
    if (!hit) return undefined;
    if (hit.expiresAt <= now) {
      this.lru.delete(tokenHash);
      return undefined;
    }
    return hit.value;
  }

  async load<R extends T>(tokenHash: string, read: () => Promise<{ value: R; expiresAt: number } | undefined>): Promise<R | undefined> {
    const generation = this.generation;
    const row = await read();
    if (row && generation === this.generation) this.lru.set(tokenHash, row);
    return row?.value;
  }

  clear(): void {
    this.generation++;
    this.lru.clear();
  }

  /** Clears now and, inside a transaction, once more when it commits. */
  clearWith(exec: Executor | null): void {
    this.clear();
    exec?.afterCommit?.(() => this.clear());
  }
}

/**
 * The process's one session cache (shared by every app instance in the process, as tests start
 * several). Values are the repository's session rows; auth.service.ts reads them as such.
 */
export const sessionCache = new SessionCache<object>();
