import { describe, expect, it, vi } from 'vitest';
import { createSetStore } from './set-store';

describe('createSetStore', () => {
  it('tells its listeners when the content changes, not when only the identity does', () => {
    const store = createSetStore(new Set(['a']));
    const listener = vi.fn();
    const stop = store.subscribe(listener);
    const first = store.get();
    store.set(new Set(['a']));
    expect(listener).not.toHaveBeenCalled();
    expect(store.get()).toBe(first);
    store.set(new Set(['a', 'b']));
    expect(listener).toHaveBeenCalledTimes(1);
    expect([...store.get()]).toEqual(['a', 'b']);
    store.set(new Set(['b', 'c']));
    expect(listener).toHaveBeenCalledTimes(2);
    stop();
    store.set(new Set());
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.get().size).toBe(0);
  });
});
