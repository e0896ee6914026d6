import { BorderOutlined, ColumnWidthOutlined, FileTextOutlined, FolderOutlined, LineOutlined } from '@ant-design/icons';
import type { FieldTypeKey } from '@crm/schema';
import { useDraggable } from '@dnd-kit/core';
import { Button, Flex, Typography } from 'antd';
import { type ComponentType, memo } from 'react';
import { useTranslation } from 'react-i18next';
import { FIELD_TYPE_GROUPS, fieldTypeUis } from '../../../field-types/registry';
import type { BlockKind } from '../model/design-state';

export const BLOCKS: { kind: BlockKind; icon: ComponentType }[] = [
  { kind: 'section', icon: BorderOutlined },
  { kind: 'columns', icon: ColumnWidthOutlined },
  { kind: 'tabs', icon: FolderOutlined },
  { kind: 'divider', icon: LineOutlined },
  { kind: 'description', icon: FileTextOutlined },
];

export type PaletteItem = { type: FieldTypeKey } | { block: BlockKind };

type Draggable = ReturnType<typeof useDraggable>;

/**
 * One palette entry. dnd-kit re-renders every draggable when a drag starts, moves over a target
 * or ends; the hook's attributes and handlers keep their identity then, so the memoised button
 * below renders again only for the entry being dragged.
 */
const Entry = memo(function Entry({ item, label, Icon, onAdd }: { item: PaletteItem; label: string; Icon: ComponentType; onAdd: (item: PaletteItem) => void }) {
  const id = 'type' in item ? `palette:${item.type}` : `palette:block:${item.block}`;
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id, data: { source: 'palette', item } });
  return (
    <EntryButton
      item={item}
      label={label}
      Icon={Icon}
      onAdd={onAdd}
      attributes={attributes}
      listeners={listeners}
      setNodeRef={setNodeRef}
      isDragging={isDragging}
    />
  );
});

const EntryButton = memo(function EntryButton({
  item,
  label,
  Icon,
  onAdd,
  attributes,
  listeners,
  setNodeRef,
  isDragging,
}: {
  item: PaletteItem;
  label: string;
  Icon: ComponentType;
  onAdd: (item: PaletteItem) => void;
} & Pick<Draggable, 'attributes' | 'listeners' | 'setNodeRef' | 'isDragging'>) {
  const { t } = useTranslation();
  return (
    <Button
      ref={setNodeRef}
      size="small"
      icon={<Icon aria-hidden />}
      aria-label={t('designer.addItem', { label })}
      {...attributes}
      aria-roledescription={t('designer.paletteItem')}
      {...listeners}
      // Enter and Space add at the end (or into the selected section); dragging places it anywhere.
      onClick={() => onAdd(item)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onAdd(item);
        }
      }}
      style={{ justifyContent: 'flex-start', opacity: isDragging ? 0.5 : 1, width: '100%' }}
    >
      {label}
    </Button>
  );
});

/** Every field type the server offers, grouped, plus the layout blocks; drag onto the canvas or press Enter to add. */
export const Palette = memo(function Palette({ onAdd }: { onAdd: (item: PaletteItem) => void }) {
  const { t } = useTranslation();
  const types = Object.keys(fieldTypeUis) as FieldTypeKey[];
  return (
    <nav aria-label={t('designer.palette')}>
      {FIELD_TYPE_GROUPS.map((group) => (
        <section key={group} aria-labelledby={`palette-${group}`} style={{ marginBottom: 12 }}>
          <Typography.Title level={2} id={`palette-${group}`} style={{ fontSize: 13, margin: '0 0 6px' }}>
            {t(`fieldTypeGroups.${group}`)}
          </Typography.Title>
          <Flex vertical gap={4}>
            {group === 'layout'
              ? BLOCKS.map((b) => <Entry key={b.kind} item={{ block: b.kind }} label={t(`designer.blocks.${b.kind}`)} Icon={b.icon} onAdd={onAdd} />)
              : types
                  .filter((type) => fieldTypeUis[type].group === group)
                  .map((type) => <Entry key={type} item={{ type }} label={t(`fieldTypes.${type}`)} Icon={fieldTypeUis[type].icon} onAdd={onAdd} />)}
          </Flex>
        </section>
      ))}
    </nav>
  );
});
