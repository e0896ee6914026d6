import type { NavGroup } from '../apps/api/apps.api';

/** Where a draggable sits: the group's index and the item's index in it (-1: not found). */
export function locate(groups: readonly NavGroup[], itemId: string): { group: number; index: number } {
  for (const [g, group] of groups.entries()) {
    const index = group.items.findIndex((i) => i.id === itemId);
    if (index >= 0) return { group: g, index };
  }
  return { group: -1, index: -1 };
}

export const GROUP_DROP_PREFIX = 'group:';

/**
 * Moves item `itemId` to where `overId` is: before another item (in any group), or to the end
 * of a group when `overId` is that group's drop zone (`group:<id>`). Returns the same array
 * when nothing moves, so callers can skip a render.
 */
export function moveItem({ groups, itemId, overId }: { groups: NavGroup[]; itemId: string; overId: string }): NavGroup[] {
  const from = locate(groups, itemId);
  if (from.group < 0 || itemId === overId) return groups;
  let toGroup: number;
  let toIndex: number;
  if (overId.startsWith(GROUP_DROP_PREFIX)) {
    toGroup = groups.findIndex((g) => g.id === overId.slice(GROUP_DROP_PREFIX.length));
    if (toGroup < 0) return groups;
    toIndex = groups[toGroup].items.length - (toGroup === from.group ? 1 : 0);
  } else {
    const to = locate(groups, overId);
    if (to.group < 0) return groups;
    toGroup = to.group;
    toIndex = to.index;
  }
  if (toGroup === from.group && toIndex === from.index) return groups;
  const next = groups.map((g) => ({ ...g, items: [...g.items] }));
  const [item] = next[from.group].items.splice(from.index, 1);
  next[toGroup].items.splice(toIndex, 0, item);
  return next;
}

/** Moves a whole group up (-1) or down (+1). */
export function moveGroup({ groups, groupId, by }: { groups: NavGroup[]; groupId: string; by: -1 | 1 }): NavGroup[] {
  const at = groups.findIndex((g) => g.id === groupId);
  const to = at + by;
  if (at < 0 || to < 0 || to >= groups.length) return groups;
  const next = [...groups];
  [next[at], next[to]] = [next[to], next[at]];
  return next;
}

/** Removes a group; its items go to the first group without a heading (made at the top if none). */
export function removeGroup({ groups, groupId }: { groups: NavGroup[]; groupId: string }): NavGroup[] {
  const gone = groups.find((g) => g.id === groupId);
  if (!gone) return groups;
  const rest = groups.filter((g) => g.id !== groupId);
  if (gone.items.length === 0) return rest;
  const top = rest.findIndex((g) => g.name === null);
  if (top < 0) return [{ id: 'top', name: null, items: gone.items }, ...rest];
  return rest.map((g, i) => (i === top ? { ...g, items: [...g.items, ...gone.items] } : g));
}
