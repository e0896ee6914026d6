import { useDroppable } from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Card, Divider, Flex, Grid, Tabs, Tag, Typography } from 'antd';
import i18n from 'i18next';
import { memo, type RefObject, useCallback, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldTypeUis } from '../../../field-types/registry';
import type { CanvasNode, DesignField } from '../model/design-state';
import { useDesign, useDesignStore } from '../model/design-store';
import { textOf } from './text';

const WIDTH_SPAN: Record<string, number> = { '1/4': 0.25, '1/3': 1 / 3, '1/2': 0.5, '2/3': 2 / 3, '3/4': 0.75, full: 1 };

/** A list of canvas parts (the canvas itself, a section, a tab), sortable, and a drop target when empty or at its end. */
export const Container = memo(function Container({ id, columns: given = 1, label }: { id: string; columns?: number; label: string }) {
  const { t } = useTranslation();
  // On a phone-width screen a multi-column section stacks its fields, as the staff form does.
  const columns = Grid.useBreakpoint().md === false ? 1 : given;
  const ids = useDesign((s) => s.containers[id]);
  const { setNodeRef, isOver } = useDroppable({ id: `container:${id}`, data: { container: id } });
  const roleDescription = t('designer.canvasItem');
  return (
    <SortableContext id={id} items={ids ?? []} strategy={verticalListSortingStrategy}>
      <div
        ref={setNodeRef}
        role="group"
        aria-label={label}
        style={{
          display: 'grid',
          gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
          gap: 8,
          minHeight: 56,
          padding: 8,
          borderRadius: 6,
          outline: isOver ? '2px dashed #1677ff' : '1px dashed rgba(0,0,0,0.15)',
        }}
      >
        {(ids ?? []).map((nodeId) => (
          <CanvasItem key={nodeId} id={nodeId} container={id} columns={columns} roleDescription={roleDescription} />
        ))}
        {!ids?.length && (
          <Typography.Text type="secondary" style={{ gridColumn: '1 / -1', alignSelf: 'center', textAlign: 'center' }}>
            {t('designer.dropHere')}
          </Typography.Text>
        )}
      </div>
    </SortableContext>
  );
});

function useIsSelected(id: string): boolean {
  const store = useDesignStore();
  return useSyncExternalStore(store.subscribe, () => store.selected === id);
}

/** The name a canvas part is announced and found by (a block's title, else its kind). */
function nameOf(node: CanvasNode, fieldLabel: string | undefined): string {
  switch (node.kind) {
    case 'field':
      return fieldLabel ?? node.key;
    case 'section':
      return textOf(node.title) || i18n.t(node.columns > 1 ? 'designer.blocks.columns' : 'designer.blocks.section');
    default:
      return i18n.t(`designer.blocks.${node.kind}`);
  }
}

const nearCallbacks = new WeakMap<Element, (near: boolean) => void>();
let nearObserver: IntersectionObserver | null = null;

/**
 * Whether the element is within a screen or so of the visible part of the canvas (one observer
 * for all parts). Without IntersectionObserver (old browsers, jsdom) everything counts as near.
 */
function useNearView(): [boolean, (el: HTMLElement | null) => void] {
  const supported = typeof IntersectionObserver !== 'undefined';
  const [near, setNear] = useState(!supported);
  const current = useRef<HTMLElement | null>(null);
  const ref = useCallback(
    (el: HTMLElement | null) => {
      if (!supported || current.current === el) return;
      nearObserver ??= new IntersectionObserver((entries) => entries.forEach((e) => nearCallbacks.get(e.target)?.(e.isIntersecting)), {
        rootMargin: '600px 0px',
      });
      if (current.current) {
        nearObserver.unobserve(current.current);
        nearCallbacks.delete(current.current);
      }
      current.current = el;
      if (el) {
        nearCallbacks.set(el, setNear);
        nearObserver.observe(el);
      }
    },
    [supported],
  );
  return [near, ref];
}

/** What a sortable binding hands its box: dnd-kit's activator handlers. */
type Listeners = Record<string, ((event: unknown) => void) | undefined> | undefined;

/**
 * One canvas part. dnd-kit re-renders every sortable of a container whenever a drag starts, moves
 * over another part or ends, so the box itself holds no dnd-kit hook: a `SortableBinding` child
 * (rendering nothing) does, and only for the parts within a screen of the visible canvas and the
 * focused one; it writes the drag transform onto the box and hands it the activator handlers.
 * The box is always the same element (found, tabbed to and read by screen readers whether near
 * or not), and its memoised body renders again only when its own node or field changes.
 * `roleDescription` comes from the container so that the box needs no translation hook.
 */
const CanvasItem = memo(function CanvasItem({
  id,
  container,
  columns,
  roleDescription,
}: {
  id: string;
  container: string;
  columns: number;
  roleDescription: string;
}) {
  const store = useDesignStore();
  const node = useDesign((s) => s.nodes[id]);
  const fieldLabel = useDesign((s) => (node?.kind === 'field' ? s.fields[node.key]?.label : undefined));
  const selected = useIsSelected(id);
  const [near, observe] = useNearView();
  const [focused, setFocused] = useState(false);
  const box = useRef<HTMLDivElement | null>(null);
  const listeners = useRef<Listeners>(undefined);
  const ref = useCallback(
    (el: HTMLDivElement | null) => {
      box.current = el;
      observe(el);
    },
    [observe],
  );
  if (!node) return null;
  const width = node.kind === 'field' ? (node.width ?? (columns > 1 ? '1/2' : 'full')) : 'full';
  const span = Math.max(1, Math.round(WIDTH_SPAN[width] * columns));
  const name = nameOf(node, fieldLabel);
  return (
    <div
      ref={ref}
      data-node-id={id}
      role="group"
      tabIndex={0}
      aria-roledescription={roleDescription}
      aria-label={name}
      aria-current={selected ? 'true' : undefined}
      style={{
        gridColumn: span >= columns ? '1 / -1' : `span ${span}`,
        outline: selected ? '2px solid #1677ff' : undefined,
        borderRadius: 6,
        background: 'var(--ant-color-bg-container, #fff)',
      }}
      onClick={(e) => {
        e.stopPropagation();
        store.select(id);
      }}
      onFocus={(e) => {
        if (e.target === e.currentTarget) store.select(id);
        setFocused(true);
      }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
      }}
      onPointerDown={(e) => listeners.current?.onPointerDown?.(e)}
      onKeyDown={(e) => listeners.current?.onKeyDown?.(e)}
    >
      {(near || focused) && <SortableBinding id={id} container={container} roleDescription={roleDescription} box={box} listeners={listeners} />}
      <PartBody node={node} name={name} />
    </div>
  );
});

/** dnd-kit's sortable hook for one box: registers it, writes its drag transform, lends it the activator handlers. */
function SortableBinding({
  id,
  container,
  roleDescription,
  box,
  listeners: lent,
}: {
  id: string;
  container: string;
  roleDescription: string;
  box: RefObject<HTMLDivElement | null>;
  listeners: RefObject<Listeners>;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id,
    data: { source: 'canvas', container },
    attributes: { role: 'group', roleDescription },
  });
  useLayoutEffect(() => {
    setNodeRef(box.current);
    lent.current = listeners as Listeners;
  });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.transform = CSS.Translate.toString(transform) ?? '';
    el.style.transition = transition ?? '';
    el.style.opacity = isDragging ? '0.4' : '';
    const describedBy = attributes['aria-describedby'];
    if (describedBy) el.setAttribute('aria-describedby', describedBy);
  }, [box, transform, transition, isDragging, attributes]);
  useLayoutEffect(
    () => () => {
      const el = box.current;
      lent.current = undefined;
      if (!el) return;
      el.style.transform = el.style.transition = el.style.opacity = '';
      el.removeAttribute('aria-describedby');
    },
    [box, lent],
  );
  return null;
}

/** What a canvas part shows; memoised, so a drag re-renders the sortable shells and not this. */
const PartBody = memo(function PartBody({ node, name }: { node: CanvasNode; name: string }) {
  switch (node.kind) {
    case 'field':
      return <FieldBody fieldKey={node.key} />;
    case 'section':
      return (
        <Card size="small" title={textOf(node.title) || undefined}>
          <Container id={node.id} columns={node.columns} label={name} />
        </Card>
      );
    case 'tabs':
      return (
        <Tabs
          size="small"
          items={node.tabs.map((tab) => ({ key: tab.id, label: textOf(tab.title), children: <Container id={tab.id} label={textOf(tab.title)} /> }))}
        />
      );
    case 'divider':
      return <Divider style={{ margin: '8px 0' }}>{textOf(node.title)}</Divider>;
    case 'description':
      return <Typography.Paragraph style={{ margin: 0, padding: 8 }}>{textOf(node.text)}</Typography.Paragraph>;
  }
});

const FieldBody = memo(function FieldBody({ fieldKey }: { fieldKey: string }) {
  const field = useDesign((s) => s.fields[fieldKey]);
  const config = useDesign((s) => s.config[fieldKey]);
  if (!field) return null;
  return <FieldCard field={field} hint={textOf(config?.placeholder)} />;
});

const CARD_ROW = { display: 'flex', alignItems: 'center', gap: 6 } as const;
const CARD_LABEL = { fontWeight: 600, color: 'var(--ant-color-text, rgba(0,0,0,0.88))', wordBreak: 'break-word' } as const;
// Drawn like antd's default Tag: the canvas draws 200 of these.
const CARD_TYPE = {
  marginInlineStart: 'auto',
  padding: '0 7px',
  fontSize: 12,
  lineHeight: '20px',
  whiteSpace: 'nowrap',
  color: 'var(--ant-color-text, rgba(0,0,0,0.88))',
  background: 'var(--ant-color-fill-quaternary, rgba(0,0,0,0.02))',
  border: '1px solid var(--ant-color-border, #d9d9d9)',
  borderRadius: 4,
} as const;

/**
 * A field's card on the canvas, in plain elements rather than antd's Flex, Typography and Tag:
 * every drag start, drop target change, drop and move makes React walk all 200 cards' fibers
 * (dnd-kit's and the sortable list's context values change), and antd's components are several
 * fibers each. The hint and a subform's drop area, which few cards have, stay antd's.
 */
function FieldCard({ field, hint }: { field: DesignField; hint: string }) {
  const { t } = useTranslation();
  const ui = fieldTypeUis[field.type];
  const Icon = ui?.icon;
  return (
    <div style={{ padding: '8px 10px', border: '1px solid rgba(0,0,0,0.1)', borderRadius: 6 }}>
      <div style={CARD_ROW}>
        {Icon && <Icon aria-hidden />}
        <strong style={CARD_LABEL}>
          {field.label}
          {field.required && <span aria-hidden> *</span>}
        </strong>
        <span style={CARD_TYPE}>{t(`fieldTypes.${field.type}`)}</span>
      </div>
      {hint && <Typography.Text type="secondary">{hint}</Typography.Text>}
      {field.type === 'subform' && <SubformDrop field={field} />}
    </div>
  );
}

/** A subform takes its child fields by drag too: drop a palette field type here. */
function SubformDrop({ field }: { field: DesignField }) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: `subform:${field.key}`, data: { subform: field.key } });
  const children = (field.settings?.fields as DesignField[] | undefined) ?? [];
  return (
    <div
      ref={setNodeRef}
      role="group"
      aria-label={t('designer.subformChildren', { label: field.label })}
      style={{ marginTop: 6, padding: 6, minHeight: 36, borderRadius: 4, outline: isOver ? '2px dashed #1677ff' : '1px dashed rgba(0,0,0,0.2)' }}
    >
      <Flex wrap gap={4}>
        {children.map((c) => (
          <Tag key={c.key}>{c.label}</Tag>
        ))}
        {!children.length && <Typography.Text type="secondary">{t('designer.dropChildHere')}</Typography.Text>}
      </Flex>
    </div>
  );
}
