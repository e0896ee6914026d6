import { Button, Checkbox, Flex, Input, InputNumber, Popover, Segmented, Select, Space } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined, DeleteOutlined } from '@ant-design/icons';
import type { Dispatch, ReactNode, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import type { Entity } from '../../apps/api/apps.api';
import { CHOICE_TYPES, fieldChoices, isSearchable, isSortable, NUMBER_TYPES, type SimpleCondition } from '../view-state';
import type { ViewConfig, ViewKind } from '../views.api';
import { DATE_TYPES } from './calendar/CalendarView';
import { CalendarSettings } from './calendar/CalendarSettings';

interface Props {
  entity: Entity;
  related: Map<string, Entity>;
  kind: ViewKind;
  onKind: (kind: ViewKind) => void;
  config: ViewConfig;
  onConfig: Dispatch<SetStateAction<ViewConfig>>;
  conditions: SimpleCondition[];
  onConditions: (c: SimpleCondition[]) => void;
  /** Saved views picker and save button (the page owns them). */
  views: ReactNode;
  /** Room for other features' entries (import and export). */
  extra?: ReactNode;
}

/** The view's controls: kind, quick search, filter, sort (also by a related field), columns, grouping, kanban and calendar fields. */
export function ViewToolbar({ entity, related, kind, onKind, config, onConfig, conditions, onConditions, views, extra }: Props) {
  const { t } = useTranslation();
  const set = (patch: Partial<ViewConfig>) => onConfig({ ...config, ...patch });
  const sortChoices = fieldChoices(entity, related, isSortable);
  const choiceFields = entity.fields.filter((f) => CHOICE_TYPES.has(f.type));
  const dateFields = entity.fields.filter((f) => DATE_TYPES.has(f.type));
  const sortKey = config.sort?.replace(/^-/, '');
  return (
    <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} role="toolbar" aria-label={t('view.toolbar')}>
      <Segmented<ViewKind>
        aria-label={t('view.kind')}
        value={kind}
        onChange={onKind}
        options={[
          { value: 'table', label: t('view.table') },
          { value: 'kanban', label: t('view.kanban'), disabled: choiceFields.length === 0 },
          { value: 'calendar', label: t('view.calendar'), disabled: dateFields.length === 0 },
        ]}
      />
      {views}
      {entity.fields.some(isSearchable) && (
        <Input.Search
          aria-label={t('view.search')}
          placeholder={t('view.search')}
          defaultValue={config.search}
          allowClear
          onSearch={(search) => set({ search: search || undefined })}
          style={{ width: 200 }}
        />
      )}
      <FilterSlot entity={entity} related={related} conditions={conditions} onConditions={onConditions} />
      <Space.Compact>
        <Select
          aria-label={t('view.sortBy')}
          placeholder={t('view.sortBy')}
          allowClear
          value={sortKey}
          onChange={(key?: string) => set({ sort: key ? `${config.sort?.startsWith('-') ? '-' : ''}${key}` : undefined })}
          options={sortChoices.map((c) => ({ value: c.key, label: c.label }))}
          style={{ minWidth: 160 }}
        />
        <Button
          aria-label={config.sort?.startsWith('-') ? t('view.descending') : t('view.ascending')}
          icon={config.sort?.startsWith('-') ? <ArrowDownOutlined aria-hidden /> : <ArrowUpOutlined aria-hidden />}
          disabled={!sortKey}
          onClick={() => set({ sort: config.sort?.startsWith('-') ? sortKey : `-${sortKey}` })}
        />
      </Space.Compact>
      {kind === 'table' && (
        <>
          <ColumnsChooser entity={entity} config={config} onConfig={onConfig} />
          <Select
            aria-label={t('view.groupBy')}
            placeholder={t('view.groupBy')}
            allowClear
            value={config.groupBy ?? undefined}
            onChange={(groupBy?: string) => set({ groupBy: groupBy ?? null })}
            options={choiceFields.map((f) => ({ value: f.key, label: f.label }))}
            style={{ minWidth: 140 }}
          />
        </>
      )}
      {kind === 'calendar' && <CalendarSettings fields={dateFields} config={config} onConfig={onConfig} />}
      {kind === 'kanban' && (
        <>
          <Select
            aria-label={t('view.kanbanField')}
            value={config.kanban?.field ?? choiceFields[0]?.key}
            onChange={(field: string) => set({ kanban: { ...config.kanban, field } })}
            options={choiceFields.map((f) => ({ value: f.key, label: f.label }))}
            style={{ minWidth: 140 }}
          />
          <Select
            aria-label={t('view.kanbanSum')}
            placeholder={t('view.kanbanSum')}
            allowClear
            value={config.kanban?.sumField ?? undefined}
            onChange={(sumField?: string) => set({ kanban: { field: config.kanban?.field ?? choiceFields[0]!.key, sumField: sumField ?? null } })}
            options={entity.fields.filter((f) => NUMBER_TYPES.has(f.type)).map((f) => ({ value: f.key, label: f.label }))}
            style={{ minWidth: 140 }}
          />
        </>
      )}
      {extra}
    </Flex>
  );
}

/** The filter slot: field (own or through a relation), operator, value rows; the shared condition builder replaces it once on main. */
function FilterSlot({ entity, related, conditions, onConditions }: Pick<Props, 'entity' | 'related' | 'conditions' | 'onConditions'>) {
  const { t } = useTranslation();
  const choices = fieldChoices(entity, related, (f) => isSearchable(f) || CHOICE_TYPES.has(f.type) || NUMBER_TYPES.has(f.type));
  const setAt = (i: number, patch: Partial<SimpleCondition>) => onConditions(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const content = (
    <Flex vertical gap={8} style={{ minWidth: 420 }}>
      {conditions.map((c, i) => (
        <Space.Compact key={i}>
          <Select
            aria-label={t('view.filterField', { n: i + 1 })}
            value={c.key || undefined}
            onChange={(key: string) => setAt(i, { key })}
            options={choices.map((ch) => ({ value: ch.key, label: ch.label }))}
            style={{ width: 180 }}
            showSearch={{ optionFilterProp: 'label' }}
          />
          <Select
            aria-label={t('view.filterOp', { n: i + 1 })}
            value={c.op}
            onChange={(op: SimpleCondition['op']) => setAt(i, { op })}
            options={[
              { value: '==', label: t('view.opEquals') },
              { value: 'contains', label: t('view.opContains') },
            ]}
            style={{ width: 110 }}
          />
          <Input
            aria-label={t('view.filterValue', { n: i + 1 })}
            value={c.value}
            onChange={(e) => setAt(i, { value: e.target.value })}
            style={{ width: 140 }}
          />
          <Button
            aria-label={t('view.filterRemove', { n: i + 1 })}
            icon={<DeleteOutlined aria-hidden />}
            onClick={() => onConditions(conditions.filter((_, j) => j !== i))}
          />
        </Space.Compact>
      ))}
      <Button icon={<PlusOutlined aria-hidden />} onClick={() => onConditions([...conditions, { key: choices[0]?.key ?? '', op: 'contains', value: '' }])}>
        {t('view.filterAdd')}
      </Button>
    </Flex>
  );
  const active = conditions.filter((c) => c.key && c.value !== '').length;
  return (
    <Popover content={content} trigger="click" title={t('view.filter')}>
      <Button>{active ? t('view.filterActive', { count: active }) : t('view.filter')}</Button>
    </Popover>
  );
}

/** Which fields show, in which order and how wide. */
function ColumnsChooser({ entity, config, onConfig }: Pick<Props, 'entity' | 'config' | 'onConfig'>) {
  const { t } = useTranslation();
  const current: { key: string; width?: number }[] = config.columns?.length ? config.columns : entity.fields.map((f) => ({ key: f.key }));
  const shown = new Set(current.map((c) => c.key));
  const all: { key: string; width?: number }[] = [
    ...current.filter((c) => entity.fields.some((f) => f.key === c.key)),
    ...entity.fields.filter((f) => !shown.has(f.key)).map((f) => ({ key: f.key })),
  ];
  const label = (key: string) => entity.fields.find((f) => f.key === key)?.label ?? key;
  type Columns = { key: string; width?: number }[];
  // Each change applies to the latest columns, so quick clicks (move, then hide) never undo each other.
  const change = (edit: (columns: Columns) => Columns) =>
    onConfig((c) => ({ ...c, columns: edit(c.columns?.length ? c.columns : entity.fields.map((f) => ({ key: f.key }))) }));
  const move = (key: string, by: number) =>
    change((cols) => {
      const i = cols.findIndex((x) => x.key === key);
      if (i < 0) return cols;
      const next = cols.slice();
      const [c] = next.splice(i, 1);
      next.splice(Math.max(0, Math.min(next.length, i + by)), 0, c!);
      return next;
    });
  const content = (
    <Flex vertical gap={4} style={{ maxHeight: 360, overflow: 'auto' }}>
      {all.map((c) => {
        const i = current.findIndex((x) => x.key === c.key);
        return (
          <Flex key={c.key} gap={4} align="center">
            <Checkbox
              checked={i >= 0}
              onChange={(e) => {
                const on = e.target.checked;
                change((cols) => (on ? [...cols.filter((x) => x.key !== c.key), { key: c.key }] : cols.filter((x) => x.key !== c.key)));
              }}
            >
              {label(c.key)}
            </Checkbox>
            <span style={{ flex: 1 }} />
            <InputNumber
              size="small"
              aria-label={t('view.columnWidth', { field: label(c.key) })}
              min={40}
              max={2000}
              disabled={i < 0}
              value={c.width ?? null}
              onChange={(w) => change((cols) => cols.map((x) => (x.key === c.key ? { key: x.key, ...(w ? { width: w } : {}) } : x)))}
              style={{ width: 80 }}
            />
            <Button
              size="small"
              aria-label={t('view.columnUp', { field: label(c.key) })}
              icon={<ArrowUpOutlined aria-hidden />}
              disabled={i <= 0}
              onClick={() => move(c.key, -1)}
            />
            <Button
              size="small"
              aria-label={t('view.columnDown', { field: label(c.key) })}
              icon={<ArrowDownOutlined aria-hidden />}
              disabled={i < 0 || i === current.length - 1}
              onClick={() => move(c.key, 1)}
            />
          </Flex>
        );
      })}
    </Flex>
  );
  return (
    <Popover content={content} trigger="click" title={t('view.columns')}>
      <Button>{t('view.columns')}</Button>
    </Popover>
  );
}
