import { type CollisionDetection, type DragEndEvent, KeyboardSensor, PointerSensor, closestCenter, pointerWithin, useSensor, useSensors } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useCallback, useMemo } from 'react';
import type { PaletteItem } from '../components/Palette';
import { addBlock, addField, addSubformChild, moveNode } from './design-ops';
import { ROOT } from './design-state';
import type { DesignStore } from './design-store';

/** The innermost target under the pointer (a field in a section before the section itself); the closest one for the keyboard. */
export const innermostCollision: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  if (!hits.length) return closestCenter(args);
  const area = (id: string | number) => {
    const r = args.droppableRects.get(id);
    return r ? r.width * r.height : Number.POSITIVE_INFINITY;
  };
  return [...hits].sort((a, b) => area(a.id) - area(b.id)).slice(0, 1);
};

/** Where a drop lands: a container and an index in it, or a subform. */
function targetOf(over: DragEndEvent['over']): { container: string; index?: number } | { subform: string } | null {
  if (!over) return null;
  const data = over.data.current as { container?: string; subform?: string; sortable?: { containerId: string; index: number } } | undefined;
  if (data?.subform) return { subform: data.subform };
  if (data?.sortable) return { container: String(data.sortable.containerId), index: data.sortable.index };
  if (data?.container) return { container: data.container };
  return null;
}

// Module constants: dnd-kit's useSensor memoises on the options object, so options written inline
// made new sensors, a new DndContext value and a re-render of every sortable and palette entry
// on each render of the workspace (every autosave status change while editing or dragging).
const POINTER = { activationConstraint: { distance: 5 } };
const KEYBOARD = { coordinateGetter: sortableKeyboardCoordinates };

/** Sensors and the drop handler: palette → canvas (add), canvas → canvas (move), palette field → subform (child). */
export function useCanvasDnd(store: DesignStore, t: (k: string) => string, labelOf: (item: PaletteItem) => string) {
  const sensors = useSensors(useSensor(PointerSensor, POINTER), useSensor(KeyboardSensor, KEYBOARD));
  const onDragEnd = useCallback(
    (e: DragEndEvent) => {
      const target = targetOf(e.over);
      if (!target) return;
      const data = e.active.data.current as { source: 'palette'; item: PaletteItem } | { source: 'canvas' } | undefined;
      if (data?.source === 'palette') {
        const item = data.item;
        if ('subform' in target) {
          if ('type' in item && item.type !== 'subform') store.apply((s) => addSubformChild(s, target.subform, item.type, labelOf(item)));
          return;
        }
        let added: string | null = null;
        store.apply((s) => {
          const r =
            'type' in item
              ? addField(s, { type: item.type, label: labelOf(item), container: target.container, index: target.index, t })
              : addBlock(s, { kind: item.block, container: target.container, index: target.index, t });
          added = r.id;
          return r.state;
        });
        if (added) store.select(added);
        return;
      }
      if ('subform' in target || e.active.id === e.over?.id) return;
      store.apply((s) => moveNode(s, String(e.active.id), target.container, target.index ?? s.containers[target.container]?.length ?? 0));
    },
    [store, t, labelOf],
  );
  return useMemo(() => ({ sensors, onDragEnd, collisionDetection: innermostCollision }), [sensors, onDragEnd]);
}

/** Adds a palette item without dragging (click, Enter): into the selected section or tab's first container, else at the end. */
export function addFromPalette(store: DesignStore, item: PaletteItem, t: (k: string) => string, label: string) {
  const sel = store.selected ? store.get().nodes[store.selected] : undefined;
  const container = sel?.kind === 'section' ? sel.id : sel?.kind === 'tabs' ? sel.tabs[0].id : ROOT;
  if (sel?.kind === 'field' && store.get().fields[sel.key]?.type === 'subform' && 'type' in item && item.type !== 'subform') {
    store.apply((s) => addSubformChild(s, sel.key, item.type, label));
    return;
  }
  let added: string | null = null;
  store.apply((s) => {
    const r = 'type' in item ? addField(s, { type: item.type, label, container, t }) : addBlock(s, { kind: item.block, container, t });
    added = r.id;
    return r.state;
  });
  if (added) store.select(added);
}
