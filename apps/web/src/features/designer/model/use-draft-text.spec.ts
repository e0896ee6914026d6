// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useDraftText } from './use-draft-text';

describe('useDraftText', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows the typed text at once and commits the latest text once, after the frame', () => {
    const commit = vi.fn();
    const { result } = renderHook(({ value }) => useDraftText(value, commit), { initialProps: { value: 'Name' } });
    act(() => result.current.onChange('Name a'));
    act(() => result.current.onChange('Name ab'));
    expect(result.current.text).toBe('Name ab');
    expect(commit).not.toHaveBeenCalled();
    act(() => void vi.advanceTimersByTime(150));
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenCalledWith('Name ab');
  });

  it('shows the store value again once committed, so an undo afterwards shows through', () => {
    const commit = vi.fn();
    const { result, rerender } = renderHook(({ value }) => useDraftText(value, commit), { initialProps: { value: 'Name' } });
    act(() => result.current.onChange('Name x'));
    act(() => void vi.advanceTimersByTime(150));
    rerender({ value: 'Name x' });
    expect(result.current.text).toBe('Name x');
    rerender({ value: 'Name' });
    expect(result.current.text).toBe('Name');
  });

  it('commits a pending text at once on flush (blur) and on unmount, and only once', () => {
    const commit = vi.fn();
    const { result, unmount } = renderHook(() => useDraftText('A', commit));
    act(() => result.current.onChange('AB'));
    act(() => result.current.flush());
    expect(commit).toHaveBeenCalledWith('AB');
    act(() => result.current.onChange('ABC'));
    unmount();
    expect(commit).toHaveBeenLastCalledWith('ABC');
    act(() => void vi.advanceTimersByTime(150));
    expect(commit).toHaveBeenCalledTimes(2);
  });
});
