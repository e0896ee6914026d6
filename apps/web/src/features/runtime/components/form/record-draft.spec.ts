import { describe, expect, it } from 'vitest';
import { clearDraft, draftKey, hasInput, readDraft, writeDraft } from './record-draft';

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('record drafts', () => {
  it('keys a draft by member, entity and record', () => {
    expect(draftKey({ memberId: '7', entityId: 'e1', recordId: 'new' })).toBe('crm.draft.v1:7:e1:new');
    expect(draftKey({ memberId: '7', entityId: 'e1', recordId: '12' })).not.toBe(draftKey({ memberId: '8', entityId: 'e1', recordId: '12' }));
  });

  it('writes, reads back and clears a draft', () => {
    const storage = memory();
    const key = draftKey({ memberId: '1', entityId: 'e', recordId: 'new' });
    expect(writeDraft({ storage, key, values: { title: 'Hi', lines: [{ qty: 2 }] }, typed: ['code'], now: new Date('2026-01-02T03:04:05Z') })).toBe(true);
    expect(readDraft({ storage, key })).toEqual({ values: { title: 'Hi', lines: [{ qty: 2 }] }, typed: ['code'], savedAt: '2026-01-02T03:04:05.000Z' });
    clearDraft({ storage, key });
    expect(readDraft({ storage, key })).toBeNull();
  });

  it('keeps no draft of an untouched form and removes one emptied again', () => {
    const storage = memory();
    const key = 'k';
    writeDraft({ storage, key, values: { title: 'x' }, typed: [], now: new Date() });
    writeDraft({ storage, key, values: { title: '', tags: [], n: undefined }, typed: [], now: new Date() });
    expect(storage.m.size).toBe(0);
    expect(hasInput({ a: 0 })).toBe(true);
    expect(hasInput({ a: false })).toBe(true);
  });

  it('ignores a broken stored value and reports a refusing storage', () => {
    const storage = memory();
    storage.setItem('k', '{not json');
    expect(readDraft({ storage, key: 'k' })).toBeNull();
    storage.setItem('k', JSON.stringify({ values: [1, 2] }));
    expect(readDraft({ storage, key: 'k' })).toBeNull();
    const full = {
      ...memory(),
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    expect(writeDraft({ storage: full, key: 'k', values: { a: 1 }, typed: [], now: new Date() })).toBe(false);
  });
});
