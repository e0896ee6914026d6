import { describe, expect, it } from 'vitest';
import type { NavGroup } from '../apps/api/apps.api';
import { moveGroup, moveItem, removeGroup } from './navigation-model';

const item = (id: string) => ({ kind: 'entity' as const, id, name: id.toUpperCase() });
const groups = (): NavGroup[] => [
  { id: 'top', name: null, items: [item('a'), item('b')] },
  { id: 'sales', name: 'Sales', items: [item('c')] },
  { id: 'empty', name: 'Empty', items: [] },
];
const shape = (gs: NavGroup[]) => gs.map((g) => `${g.id}:${g.items.map((i) => i.id).join('')}`);

describe('navigation model', () => {
  it('reorders inside a group and moves across groups, before the item it is over', () => {
    expect(shape(moveItem({ groups: groups(), itemId: 'b', overId: 'a' }))).toEqual(['top:ba', 'sales:c', 'empty:']);
    expect(shape(moveItem({ groups: groups(), itemId: 'a', overId: 'c' }))).toEqual(['top:b', 'sales:ac', 'empty:']);
  });

  it('drops onto a group zone at its end, empty groups included; nothing moves onto itself', () => {
    expect(shape(moveItem({ groups: groups(), itemId: 'a', overId: 'group:empty' }))).toEqual(['top:b', 'sales:c', 'empty:a']);
    const same = groups();
    expect(moveItem({ groups: same, itemId: 'a', overId: 'a' })).toBe(same);
    expect(moveItem({ groups: same, itemId: 'c', overId: 'group:sales' })).toBe(same);
  });

  it('moves groups and removes one, keeping its items in the top-level block', () => {
    expect(shape(moveGroup({ groups: groups(), groupId: 'sales', by: -1 }))).toEqual(['sales:c', 'top:ab', 'empty:']);
    expect(shape(moveGroup({ groups: groups(), groupId: 'top', by: -1 }))).toEqual(['top:ab', 'sales:c', 'empty:']);
    expect(shape(removeGroup({ groups: groups(), groupId: 'sales' }))).toEqual(['top:abc', 'empty:']);
    expect(shape(removeGroup({ groups: groups().slice(1), groupId: 'sales' }))).toEqual(['top:c', 'empty:']);
  });
});
