import { useCallback, useEffect, useState } from 'react';

export interface Resource<T> {
  /** The last data loaded; with `keepPreviousData` it survives a key change until the new answer arrives. */
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

interface ResourceOptions {
  keepPreviousData?: boolean;
}

/**
 * Loads data whenever `key` changes (null means idle) and ignores answers to superseded requests.
 * `load` is read at the time `key` changes, so the key must capture everything `load` depends on.
 */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>, options: ResourceOptions = {}): Resource<T> {
  const [state, setState] = useState<Omit<Resource<T>, 'reload'>>({ data: undefined, error: undefined, loading: key !== null });
  const [attempt, setAttempt] = useState(0);
  const keepPreviousData = options.keepPreviousData ?? false;

  useEffect(() => {
    if (key === null) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ data: keepPreviousData ? previous.data : undefined, error: undefined, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const asError = error instanceof Error ? error : new Error(String(error));
        setState((previous) => ({ data: keepPreviousData ? previous.data : undefined, error: asError, loading: false }));
      },
    );
    return () => controller.abort();
    // `load` is deliberately not a dependency: callers pass a fresh closure every render and `key` stands for it.
  }, [key, attempt, keepPreviousData]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
