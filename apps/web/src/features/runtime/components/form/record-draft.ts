/**
 * Unsaved form input kept in the browser's localStorage, one draft per member, entity and
 * record ("new" for a record not yet created), so that a reload or a lost connection never
 * loses what was typed (docs/user-guide.md, "Drafts"). Cleared when the server saves the record.
 */
export interface RecordDraft {
  values: Record<string, unknown>;
  /** Formula-default fields the member typed into (they keep their typed value). */
  typed: string[];
  /** When it was last written (ISO). */
  savedAt: string;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

const PREFIX = 'crm.draft.v1';

export function draftKey({ memberId, entityId, recordId }: { memberId: string; entityId: string; recordId: string | 'new' }): string {
  return `${PREFIX}:${memberId}:${entityId}:${recordId}`;
}

/** The stored draft, or null when there is none (or it is unreadable: a draft is a convenience, never an error). */
export function readDraft({ storage, key }: { storage: Storage; key: string }): RecordDraft | null {
  try {
    const raw = storage.getItem(key);
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<RecordDraft>;
    if (!d || typeof d !== 'object' || typeof d.values !== 'object' || d.values === null || Array.isArray(d.values)) return null;
    return { values: d.values, typed: Array.isArray(d.typed) ? d.typed.filter((k) => typeof k === 'string') : [], savedAt: String(d.savedAt ?? '') };
  } catch {
    return null;
  }
}

/** Whether the values hold anything worth offering back (an untouched form leaves no draft). */
export function hasInput(values: Record<string, unknown>): boolean {
  return Object.values(values).some((v) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
}

/** Writes (or, for an empty form, removes) the draft; false when the browser refused (storage full or disabled). */
export function writeDraft({
  storage,
  key,
  values,
  typed,
  now,
}: {
  storage: Storage;
  key: string;
  values: Record<string, unknown>;
  typed: Iterable<string>;
  now: Date;
}): boolean {
  try {
    if (!hasInput(values)) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify({ values, typed: [...typed], savedAt: now.toISOString() } satisfies RecordDraft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft({ storage, key }: { storage: Storage; key: string }): void {
  try {
    storage.removeItem(key);
  } catch {
    /* storage disabled: nothing was kept */
  }
}
