import { describe, expect, it } from 'vitest';
import { departmentTree, directoryValue, idsOf, memberOptions, namesOf } from './directory';

const members = [
  { id: 'u1', name: '张伟', email: 'zhang@example.com', status: 'active' },
  { id: 'u2', name: 'Ana', email: null, username: 'ana', status: 'active' },
  { id: 'u3', name: 'Gone', email: 'gone@example.com', status: 'disabled' },
];

describe('directory pickers', () => {
  it('offers active members searchable by name, email and user name; a set disabled member stays', () => {
    const opts = memberOptions({ members, value: undefined });
    expect(opts.map((o) => o.value)).toEqual(['u1', 'u2']);
    expect(opts[0].search).toContain('zhang@example.com');
    expect(opts[1].search).toContain('ana');
    expect(memberOptions({ members, value: ['u3'] }).map((o) => o.label)).toContain('Gone');
  });

  it('keeps an option for an id the directory does not list, so the value is never dropped', () => {
    expect(memberOptions({ members, value: 'u9' }).at(-1)).toEqual({ value: 'u9', label: 'u9', search: 'u9' });
  });

  it('holds one id or a list by the field', () => {
    expect(directoryValue({ value: ['a', 'b'], many: false })).toBe('a');
    expect(directoryValue({ value: 'a', many: true })).toEqual(['a']);
    expect(directoryValue({ value: null, many: true })).toEqual([]);
    expect(idsOf(['', null, 'x'])).toEqual(['x']);
  });

  it('builds the department tree from the flat list, an orphan becoming a root', () => {
    const tree = departmentTree([
      { id: 'hq', name: 'HQ', parentId: null },
      { id: 'sales', name: 'Sales', parentId: 'hq' },
      { id: 'east', name: 'East', parentId: 'sales' },
      { id: 'lost', name: 'Lost', parentId: 'missing' },
    ]);
    expect(tree.map((n) => n.value)).toEqual(['hq', 'lost']);
    expect(tree[0].children[0].children[0].title).toBe('East');
  });

  it('names ids for cells, unknown ids as themselves', () => {
    expect(namesOf({ value: ['u1', 'zz'], list: members })).toEqual(['张伟', 'zz']);
  });
});
