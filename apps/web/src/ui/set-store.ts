/** A set of keys that changes over time, for useSyncExternalStore: readers re-render only when its content changes. */
export interface SetStore {
  get: () => ReadonlySet<string>;
  subscribe: (listener: () => void) => () => void;
}

/** A SetStore with a setter; `set` with the same content keeps the old set and tells no one. */
export function createSetStore(initial: ReadonlySet<string>): SetStore & { set: (next: ReadonlySet<string>) => void } {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set: (next) => {
      if (next.size === value.size && [...next].every((k) => value.has(k))) return;
      value = next;
      for (const listener of listeners) listener();
    },
  };
}
