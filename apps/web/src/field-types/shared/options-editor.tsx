import { DeleteOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { DndContext, type DragEndEvent, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Button, ColorPicker, Flex, Input, Typography } from 'antd';
import { memo, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsProps } from '../field-type-ui';

interface Option {
  value: string;
  label: string;
  color?: string;
}

const OptionRow = memo(function OptionRow({
  option,
  index,
  onEdit,
  onRemove,
}: {
  option: Option;
  index: number;
  onEdit: (index: number, patch: Partial<Option>) => void;
  onRemove: (index: number) => void;
}) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, transform, transition } = useSortable({ id: option.value });
  return (
    <Flex ref={setNodeRef} gap={4} align="center" style={{ transform: CSS.Transform.toString(transform), transition, marginBottom: 4 }}>
      <Button
        type="text"
        size="small"
        icon={<HolderOutlined aria-hidden />}
        aria-label={t('designer.dragOption', { label: option.label })}
        {...attributes}
        {...listeners}
      />
      <ColorPicker
        size="small"
        value={option.color ?? null}
        allowClear
        aria-label={t('designer.optionColor', { label: option.label })}
        onChange={(c) => onEdit(index, { color: c.cleared ? undefined : c.toHexString() })}
      />
      <Input
        size="small"
        aria-label={t('designer.optionLabel', { n: index + 1 })}
        value={option.label}
        onChange={(e) => onEdit(index, { label: e.target.value })}
      />
      <Button
        type="text"
        size="small"
        danger
        icon={<DeleteOutlined aria-hidden />}
        aria-label={t('designer.removeOption', { label: option.label })}
        onClick={() => onRemove(index)}
      />
    </Flex>
  );
});

/** Choice options: label, colour, drag (or keyboard) order, add and remove. Values are kept once made (stored data uses them). */
export function OptionsEditor({ field, onChange }: SettingsProps) {
  const { t } = useTranslation();
  const options = ((field.settings?.options as Option[] | undefined) ?? []).slice();
  const sensors = useSensors(useSensor(PointerSensor), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const set = useCallback((next: Option[]) => onChange({ options: next }), [onChange]);
  const onEdit = useCallback(
    (index: number, patch: Partial<Option>) =>
      set(
        options.map((o, i) =>
          i === index ? (Object.fromEntries(Object.entries({ ...o, ...patch }).filter(([, v]) => v !== undefined)) as unknown as Option) : o,
        ),
      ),
    [options, set],
  );
  const onRemove = useCallback((index: number) => set(options.filter((_, i) => i !== index)), [options, set]);
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return;
    const from = options.findIndex((o) => o.value === e.active.id);
    const to = options.findIndex((o) => o.value === e.over!.id);
    set(arrayMove(options, from, to));
  };
  const add = () => {
    let n = options.length + 1;
    while (options.some((o) => o.value === `option_${n}`)) n++;
    set([...options, { value: `option_${n}`, label: `${t('designer.option')} ${n}` }]);
  };
  return (
    <div role="group" aria-label={t('designer.options')}>
      <Typography.Text strong>{t('designer.options')}</Typography.Text>
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={options.map((o) => o.value)} strategy={verticalListSortingStrategy}>
          {options.map((o, i) => (
            <OptionRow key={o.value} option={o} index={i} onEdit={onEdit} onRemove={onRemove} />
          ))}
        </SortableContext>
      </DndContext>
      <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={add} style={{ marginBottom: 12 }}>
        {t('designer.addOption')}
      </Button>
    </div>
  );
}
