import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { clearDraft, draftKey, readDraft, type RecordDraft, writeDraft } from './record-draft';

const storage = () => (typeof window === 'undefined' ? null : window.localStorage);

/**
 * The draft of one form: the one found on opening (offered back until the member restores or
 * discards it), `keep` to write the current input (debounced; flushed when the page hides) and
 * `clear` once the server saved the record.
 */
export function useRecordDraft({ memberId, entityId, recordId }: { memberId: string; entityId: string; recordId: string | 'new' }) {
  const key = useMemo(() => draftKey({ memberId, entityId, recordId }), [memberId, entityId, recordId]);
  const [found, setFound] = useState<RecordDraft | null>(() => {
    const s = storage();
    return s ? readDraft({ storage: s, key }) : null;
  });
  const pending = useRef<{ values: Record<string, unknown>; typed: Iterable<string> } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flush = useCallback(() => {
    clearTimeout(timer.current);
    const s = storage();
    if (s && pending.current) writeDraft({ storage: s, key, ...pending.current, now: new Date() });
    pending.current = null;
  }, [key]);
  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);
  const keep = useCallback(
    (values: Record<string, unknown>, typed: Iterable<string>) => {
      pending.current = { values, typed };
      clearTimeout(timer.current);
      timer.current = setTimeout(flush, 300);
    },
    [flush],
  );
  const clear = useCallback(() => {
    clearTimeout(timer.current);
    pending.current = null;
    const s = storage();
    if (s) clearDraft({ storage: s, key });
  }, [key]);
  const discard = useCallback(() => {
    clear();
    setFound(null);
  }, [clear]);
  return { found, settle: () => setFound(null), discard, keep, flush, clear };
}
