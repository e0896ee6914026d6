import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Runs `fn` once, just after the next frame is painted (a timer as well, for a page that paints no frames). */
function afterPaint(fn: () => void): () => void {
  let done = false;
  let inner: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(outer);
    clearTimeout(inner);
    cancelAnimationFrame(frame);
    fn();
  };
  // A timer queued from the frame callback runs after that frame's paint.
  const frame = requestAnimationFrame(() => (inner = setTimeout(run, 0)));
  const outer = setTimeout(run, 100);
  return () => {
    done = true;
    clearTimeout(outer);
    clearTimeout(inner);
    cancelAnimationFrame(frame);
  };
}

/**
 * A text input over a value of the designer store: a keystroke renders only the input (its text
 * kept here), and the change is committed to the store just after that frame is painted, where
 * it renders the canvas part, the panel's title and the toolbar. Keystrokes typed before the
 * commit make one commit of the latest text; a pending commit is made at once on blur and
 * unmount, so nothing typed is lost. Returns the text to show, the change handler and `flush`.
 */
export function useDraftText(value: string, commit: (text: string) => void): { text: string; onChange: (text: string) => void; flush: () => void } {
  const [draft, setDraft] = useState<string | null>(null);
  const pending = useRef<{ text: string; cancel: () => void } | null>(null);
  const commitRef = useRef(commit);
  useLayoutEffect(() => {
    commitRef.current = commit;
  });
  const flush = useCallback(() => {
    const p = pending.current;
    if (!p) return;
    pending.current = null;
    p.cancel();
    commitRef.current(p.text);
    setDraft(null);
  }, []);
  const onChange = useCallback(
    (text: string) => {
      setDraft(text);
      if (pending.current) pending.current.text = text;
      else pending.current = { text, cancel: afterPaint(flush) };
    },
    [flush],
  );
  useEffect(() => flush, [flush]);
  return { text: draft ?? value, onChange, flush };
}
