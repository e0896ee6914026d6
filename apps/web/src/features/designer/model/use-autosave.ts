import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../api/client';
import type { Id } from '../../apps/api/apps.api';
import { saveDesignOrThrow } from '../api/design.api';
import { documentFromState } from './design-state';
import type { DesignStore } from './design-store';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'conflict' | 'error';

const DEBOUNCE_MS = 800;

/**
 * Saves the designer document a moment after the last change, under the revision it was loaded
 * or last saved with. A 409 DRAFT_CONFLICT (someone else saved) stops saving until the admin
 * reloads: their work is never overwritten, and neither is the other admin's.
 */
export function useAutosave(store: DesignStore, entityId: Id, initialRevision: number) {
  const revision = useRef(initialRevision);
  const saved = useRef(store.changeCount);
  const inFlight = useRef<Promise<void> | null>(null);
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<unknown>(null);
  const statusRef = useRef(status);
  statusRef.current = status;

  const saveNow = useCallback(async (): Promise<void> => {
    if (inFlight.current) await inFlight.current;
    if (statusRef.current === 'conflict' || store.changeCount === saved.current) return;
    const at = store.changeCount;
    setStatus('saving');
    const run = (async () => {
      try {
        const answer = await saveDesignOrThrow(entityId, { revision: revision.current, document: documentFromState(store.get()) });
        revision.current = answer.revision;
        saved.current = at;
        setError(null);
        setStatus(store.changeCount === at ? 'saved' : 'pending');
      } catch (err) {
        setError(err);
        setStatus(err instanceof ApiError && err.code === 'DRAFT_CONFLICT' ? 'conflict' : 'error');
        throw err;
      }
    })();
    inFlight.current = run.finally(() => (inFlight.current = null)).catch(() => undefined);
    return run;
  }, [entityId, store]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe(() => {
      if (store.changeCount === saved.current || statusRef.current === 'conflict') return;
      setStatus((s) => (s === 'saving' ? s : 'pending'));
      clearTimeout(timer);
      timer = setTimeout(() => void saveNow().catch(() => undefined), DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [store, saveNow]);

  const dirty = status !== 'saved';
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  /** After a reload or a publish: the server's revision, nothing unsaved. */
  const rebase = useCallback(
    (rev: number) => {
      revision.current = rev;
      saved.current = store.changeCount;
      setStatus('saved');
      setError(null);
    },
    [store],
  );

  return { status, error, dirty, saveNow, rebase, revision };
}
