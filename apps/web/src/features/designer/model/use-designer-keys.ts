import i18n from 'i18next';
import { useEffect } from 'react';
import { copyField, nudge, removeNode } from './design-ops';
import type { DesignStore } from './design-store';

const typing = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/**
 * Keyboard: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z (or Ctrl+Y) redo anywhere outside a text input; on a
 * focused canvas part, Delete removes it, Alt+↑/↓ moves it, Ctrl/⌘+D copies it. (Space then
 * arrows drag it with dnd-kit's keyboard sensor too.)
 */
export function useDesignerKeys(store: DesignStore) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !typing(e.target) && (e.key === 'z' || e.key === 'Z' || e.key === 'y')) {
        e.preventDefault();
        if (e.key === 'y' || e.shiftKey) store.redo();
        else store.undo();
        return;
      }
      const item = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[data-node-id]') : null;
      if (!item || item !== e.target) return;
      const id = item.dataset.nodeId!;
      if (e.key === 'Delete' || e.key === 'Backspace') {
        e.preventDefault();
        store.apply((s) => removeNode(s, id));
        store.select(null);
      } else if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        e.preventDefault();
        store.apply((s) => nudge(s, id, e.key === 'ArrowUp' ? -1 : 1));
        requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(id)}"]`)?.focus());
      } else if (mod && e.key === 'd') {
        e.preventDefault();
        let copy = id;
        store.apply((s) => {
          const r = copyField(s, id, (k) => i18n.t(k));
          copy = r.id;
          return r.state;
        });
        store.select(copy);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store]);
}
