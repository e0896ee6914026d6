import { LRUCache } from 'lru-cache';

/**
 * The one bounded cache of the API (compiled entities, forms, plans, access, department trees):
 * at most `max` entries, the least recently used dropped first. Values are compiled artefacts
 * keyed by what they were compiled from (ids and versions), so nothing expires by time.
 */
export class BoundedCache<K extends string, V extends NonNullable<unknown>> {
  private readonly lru: LRUCache<K, V>;

  constructor(readonly max: number) {
    this.lru = new LRUCache<K, V>({ max });
  }

  get(key: K): V | undefined {
    return this.lru.get(key);
  }

  set(key: K, value: V): void {
    this.lru.set(key, value);
  }

  delete(key: K): void {
    this.lru.delete(key);
  }

  has(key: K): boolean {
    return this.lru.has(key);
  }

  get size(): number {
    return this.lru.size;
  }

  /** The cached value, or `load()`'s, remembered. Two concurrent misses may both load; the last one stays. */
  async getOrLoad(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.lru.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    this.lru.set(key, value);
    return value;
  }
}
