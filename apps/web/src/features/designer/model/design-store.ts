import { createContext, useContext, useSyncExternalStore } from 'react';
import type { DesignState } from './design-state';

const HISTORY = 200;

/**
 * The designer's state outside React: components subscribe to the slice they show
 * (`useDesign(s => s.fields[key])`), so an edit re-renders only the parts whose objects
 * changed — a 200-field form stays fast. Every change is an undo step; edits typed into one
 * input (same `coalesce` key, within 1 s) make one step.
 */
export class DesignStore {
  private state: DesignState;
  private past: DesignState[] = [];
  private future: DesignState[] = [];
  private listeners = new Set<() => void>();
  private lastCoalesce: { key: string; at: number } | null = null;
  /** Bumped on every change the server has not seen yet; the autosave compares it. */
  changeCount = 0;
  selected: string | null = null;

  constructor(initial: DesignState) {
    this.state = initial;
  }

  get = () => this.state;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit() {
    for (const l of this.listeners) l();
  }

  /** Applies a change; `coalesce` merges it with the previous change of the same key into one undo step. */
  apply(fn: (s: DesignState) => DesignState, coalesce?: string) {
    const next = fn(this.state);
    if (next === this.state) return;
    const now = Date.now();
    const merge = coalesce && this.lastCoalesce?.key === coalesce && now - this.lastCoalesce.at < 1000;
    if (!merge) {
      this.past.push(this.state);
      if (this.past.length > HISTORY) this.past.shift();
    }
    this.lastCoalesce = coalesce ? { key: coalesce, at: now } : null;
    this.future = [];
    this.state = next;
    this.changeCount++;
    this.emit();
  }

  /** The server's problems from the last publish preview (paths like `/form/fields/<key>/visibleWhen`), shown beside their editors. */
  problems: readonly StoredProblem[] = [];

  setProblems(problems: readonly StoredProblem[]) {
    this.problems = problems;
    this.emit();
  }

  /** Forgets the problems at `path` or inside it (the admin changed that part). */
  clearProblems(path: string) {
    const left = this.problems.filter((p) => !(p.path === path || p.path.startsWith(`${path}/`)));
    if (left.length !== this.problems.length) this.setProblems(left);
  }

  select(id: string | null) {
    if (this.selected === id) return;
    this.selected = id;
    this.emit();
  }

  /** Replaces everything (a reload from the server): no undo across it. */
  reset(state: DesignState) {
    this.state = state;
    this.past = [];
    this.future = [];
    this.selected = null;
    this.emit();
  }

  canUndo = () => this.past.length > 0;
  canRedo = () => this.future.length > 0;

  undo() {
    const prev = this.past.pop();
    if (!prev) return;
    this.future.push(this.state);
    this.state = prev;
    this.lastCoalesce = null;
    this.changeCount++;
    this.emit();
  }

  redo() {
    const next = this.future.pop();
    if (!next) return;
    this.past.push(this.state);
    this.state = next;
    this.lastCoalesce = null;
    this.changeCount++;
    this.emit();
  }
}

/** A server problem as the side panel shows it. */
export interface StoredProblem {
  path: string;
  code: string;
  message: string;
}

export const DesignStoreContext = createContext<DesignStore | null>(null);

export function useDesignStore(): DesignStore {
  const store = useContext(DesignStoreContext);
  if (!store) throw new Error('useDesignStore outside the designer');
  return store;
}

/** A slice of the design state; the component re-renders only when the slice changes (by identity). */
export function useDesign<T>(select: (s: DesignState) => T): T {
  const store = useDesignStore();
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}

export function useSelected(): string | null {
  const store = useDesignStore();
  return useSyncExternalStore(store.subscribe, () => store.selected);
}

/** Whether undo/redo are possible now (for the toolbar). */
export function useHistoryState(): { canUndo: boolean; canRedo: boolean } {
  const store = useDesignStore();
  const canUndo = useSyncExternalStore(store.subscribe, store.canUndo);
  const canRedo = useSyncExternalStore(store.subscribe, store.canRedo);
  return { canUndo, canRedo };
}

/**
 * The first problem of the last publish preview at `path` or inside it, with the rest of its
 * path (a JSON pointer inside a condition, for the condition builder); undefined when none.
 */
export function useProblem(path: string): StoredProblem | undefined {
  return problemAt(useProblems(), path);
}

export function useProblems(): readonly StoredProblem[] {
  const store = useDesignStore();
  return useSyncExternalStore(store.subscribe, () => store.problems);
}

export function problemAt(problems: readonly StoredProblem[], path: string): StoredProblem | undefined {
  const hit = problems.find((p) => p.path === path || p.path.startsWith(`${path}/`));
  return hit ? { path: hit.path.slice(path.length), code: hit.code, message: hit.message } : undefined;
}
