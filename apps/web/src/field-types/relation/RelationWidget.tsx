import { useInfiniteQuery } from '@tanstack/react-query';
import type { WidgetProps } from '@rjsf/utils';
import { Select, Spin } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { idsOf } from '../shared/directory';
import { useFormWidgetContext } from '../shared/widget-context';
import { optionText, type RelationOption, relationOptionsOrThrow } from './relation-options';

/**
 * Picks records of the target entity by their display field: the server searches, pages
 * (more load as the list scrolls to its end) and applies the field's filter over the form's
 * current values. The value stays the record ids; labels of chosen records are kept for display.
 */
export function RelationWidget(props: WidgetProps) {
  const { id, name, value, onChange, onBlur, disabled, readonly, schema, label, placeholder } = props;
  // Inside a subform row (ChildInput): the row's values for `$row.<key>` in the field's filter.
  const row = (props.options as { row?: Record<string, unknown> } | undefined)?.row;
  const { t } = useTranslation();
  const ctx = useFormWidgetContext();
  const many = schema.type === 'array';
  const [q, setQ] = useState('');
  const [typed, setTyped] = useState('');
  const [open, setOpen] = useState(false);
  const [known, setKnown] = useState<Map<number, string>>(new Map());
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const values = open ? ctx.values() : {};
  const valuesKey = JSON.stringify(values);
  const rowKey = open && row ? JSON.stringify(row) : '';
  const options = useInfiniteQuery({
    queryKey: ['entities', ctx.entityId, 'relation-options', name, q, valuesKey, rowKey],
    enabled: open && !!ctx.entityId,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      relationOptionsOrThrow({
        entityId: ctx.entityId!,
        fieldKey: name,
        q,
        values: JSON.parse(valuesKey),
        row: rowKey ? JSON.parse(rowKey) : undefined,
        cursor: pageParam,
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
  const loaded = useMemo(() => options.data?.pages.flatMap((p) => p.items) ?? [], [options.data]);
  const selected = idsOf(value).map(Number);
  const list = useMemo(() => {
    const rows = loaded.map((o: RelationOption) => ({ value: o.id, label: optionText(o) }));
    const seen = new Set(rows.map((r) => r.value));
    for (const sid of selected) if (!seen.has(sid)) rows.push({ value: sid, label: known.get(sid) ?? `#${sid}` });
    return rows;
  }, [loaded, selected, known]);
  const remember = (ids: number[]) => {
    const next = new Map(known);
    for (const o of loaded) if (ids.includes(o.id)) next.set(o.id, optionText(o));
    setKnown(next);
  };
  const problem = options.error instanceof ApiError ? options.error.message : options.error ? t('widgets.optionsFailed') : null;
  return (
    <Select
      id={id}
      aria-label={label}
      mode={many ? 'multiple' : undefined}
      showSearch={{ filterOption: false, onSearch: setTyped, searchValue: typed }}
      allowClear
      placeholder={placeholder || t('widgets.searchRecords')}
      disabled={disabled || readonly}
      value={many ? selected : selected[0]}
      options={list}
      onOpenChange={setOpen}
      onChange={(v: number | number[] | undefined) => {
        const ids = v === undefined ? [] : ([] as number[]).concat(v);
        remember(ids);
        onChange(many ? ids : ids[0]);
        setTyped('');
      }}
      onBlur={() => onBlur(id, value)}
      onPopupScroll={(e) => {
        const el = e.currentTarget as HTMLElement;
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 24 && options.hasNextPage && !options.isFetchingNextPage) void options.fetchNextPage();
      }}
      notFoundContent={options.isFetching ? <Spin size="small" /> : !ctx.entityId ? t('widgets.publishToSearch') : (problem ?? t('widgets.noMatch'))}
      style={{ width: '100%' }}
    />
  );
}
