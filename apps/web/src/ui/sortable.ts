import { type Announcements, KeyboardSensor, PointerSensor, useSensor, useSensors } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Pointer (after a 5 px move, so clicks stay clicks) and keyboard (Space to lift, arrows, Space to drop, Esc to cancel). */
export function useSortableSensors() {
  return useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
}

/**
 * What screen readers hear while a list is reordered, in the UI language (dnd-kit's own texts
 * are English only). `nameOf` turns a draggable id into the thing's name.
 */
export function useSortableAccessibility(nameOf: (id: string) => string) {
  const { t } = useTranslation();
  return useMemo(() => {
    const name = (id: unknown) => nameOf(String(id));
    const announcements: Announcements = {
      onDragStart: ({ active }) => t('sortable.picked', { name: name(active.id) }),
      onDragOver: ({ active, over }) =>
        over ? t('sortable.over', { name: name(active.id), target: name(over.id) }) : t('sortable.outside', { name: name(active.id) }),
      onDragEnd: ({ active, over }) =>
        over ? t('sortable.dropped', { name: name(active.id), target: name(over.id) }) : t('sortable.droppedOutside', { name: name(active.id) }),
      onDragCancel: ({ active }) => t('sortable.cancelled', { name: name(active.id) }),
    };
    return { announcements, screenReaderInstructions: { draggable: t('sortable.instructions') } };
  }, [nameOf, t]);
}
