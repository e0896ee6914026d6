import { Button, Flex, Grid, Table, Tag, Typography } from 'antd';
import type { ColumnsType, ColumnType, SorterResult, SortOrder } from 'antd/es/table/interface';
import { DownOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  Children,
  createContext,
  useCallback,
  useContext,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ComponentProps,
  type Key,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { FieldCell } from '../../../../field-types/FieldCell';
import { formatDateTime, optionLabel } from '../../../../field-types/shared/format-value';
import { EmptyState, ErrorState, LoadingState } from '../../../../ui/states';
import type { Entity, Field } from '../../../apps/api/apps.api';
import { expandKeysOf, useRecordGroups, useRecordList } from '../../hooks/records.queries';
import { useMyAccess } from '../../hooks/useMyAccess';
import type { RecordRow } from '../../records.api';
import { INLINE_TYPES, isSortable } from '../../view-state';
import type { ViewConfig } from '../../views.api';
import { ActiveRow } from './ActiveRow';
import { BulkBar } from './BulkBar';
import { RelationValue, SubformValue } from './cells';
import { RecordCards } from './RecordCards';
import { SelectCell } from './SelectCell';
import { EditableCell } from './EditableCell';

const PAGE = 100;
const ROW_HEIGHT = 41;
const VIEW_HEIGHT = 560;
/** A group header inserted where the grouped field's value changes. */
type Row = RecordRow | { __group: string | null; id: string };
/** What the virtual body needs from the table: the scroll box, and where to report the last row it renders. */
const Scroll = createContext<{ scroller: HTMLDivElement | null; count: number; onLast: (last: number) => void }>({
  scroller: null,
  count: 0,
  onLast: () => undefined,
});

/**
 * The table's body: rc-table builds the row elements of every loaded record once per table render
 * (a page arrives, the selection changes), and this body mounts only those in sight, between two
 * spacer rows. Scrolling re-renders this body alone: the rows that stay in sight are the same
 * elements, so React skips them, and the header, antd's table and rc-table's cells are not drawn again.
 */
function VirtualBody({ children, ...props }: ComponentProps<'tbody'>) {
  const { scroller, count, onLast } = useContext(Scroll);
  // The records' rows are the last `count` children (rc-table may put a measure row before them).
  const all = useMemo(() => Children.toArray(children), [children]);
  const head = all.slice(0, Math.max(0, all.length - count));
  const rows = all.slice(head.length);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtual.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => onLast(last), [last, rows.length, onLast]);
  return (
    <tbody {...props}>
      {head}
      <tr aria-hidden style={{ height: items[0]?.start ?? 0 }} />
      {rows.slice(first, last + 1)}
      <tr aria-hidden style={{ height: Math.max(0, virtual.getTotalSize() - (items.at(-1)?.end ?? 0)) }} />
    </tbody>
  );
}

const isGroup = (r: Row): r is { __group: string | null; id: string } => '__group' in r;

interface Props {
  entity: Entity;
  related: Map<string, Entity>;
  config: ViewConfig;
  filter: unknown;
  onSort: (sort: string | undefined) => void;
}

/**
 * The table view: an antd table virtualised with @tanstack/react-virtual (only the rows in sight
 * are in the DOM, spacer rows keep the scroll height; it stays a real <table> for assistive
 * technology) over keyset pages of 100 (the next page loads as the scroll nears the end, or with
 * "Load more"), the columns and sort of the view, group headers
 * with the server's counts, relations by display field, subforms openable, cells edited in
 * place, row selection for bulk edit and delete.
 */
export function RecordsTable({ entity, related, config, filter, onSort }: Props) {
  const { t } = useTranslation();
  const { appId = '' } = useParams();
  const groupBy = config.groupBy ? entity.fields.find((f) => f.key === config.groupBy) : undefined;
  const sort = [groupBy?.key, config.sort].filter(Boolean).join(',') || undefined;
  const params = useMemo(() => ({ filter, sort, expand: expandKeysOf(entity) }), [filter, sort, entity]);
  const { query, rows } = useRecordList({ entity, params, limit: PAGE });
  const groups = useRecordGroups({ entity, field: groupBy?.key ?? null, filter });
  const [selected, setSelected] = useState<number[]>([]);
  const { can } = useMyAccess(entity);
  // Cells are editable and rows selectable only for members the server would let write them.
  const canEdit = can('edit');
  const selectable = can('bulk_edit') || can('delete');
  const columns = useColumns({ entity, related, config, canEdit, recordsPath: `/apps/${appId}/entities/${entity.id}/records` });
  // A page arriving at the end is drawn in a transition: rc-table builds an element for every
  // loaded record, which at thousands of records is longer than a frame, and the new rows are
  // below the view anyway. Scrolling interrupts it; anything else (a filter, an edit) is drawn at once.
  const deferred = useDeferredValue(rows);
  const shown = deferred.length < rows.length && deferred[0] === rows[0] ? deferred : rows;
  const data = useMemo(() => withGroupRows(shown, groupBy), [shown, groupBy]);
  // A state, not a ref: the body's virtualizer needs the box, which exists only after the first commit.
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  // The next page loads as the last rendered row nears the end of the loaded ones.
  // (Counting the rows of a page not drawn yet, so that it is not asked for twice.)
  const latest = useRef({ count: data.length, query });
  latest.current = { count: data.length + rows.length - shown.length, query };
  const onLast = useCallback((last: number) => {
    const { count, query: q } = latest.current;
    if (last >= count - 20 && q.hasNextPage && !q.isFetchingNextPage) void q.fetchNextPage();
  }, []);
  // Cards below md (768 px); `md` is undefined until antd has measured, so wide is the first guess.
  const narrow = Grid.useBreakpoint().md === false;
  const components = useMemo(
    () => ({ table: (props: ComponentProps<'table'>) => <table {...props} aria-label={entity.name} />, body: { wrapper: VirtualBody, row: ActiveRow } }),
    [entity.name],
  );
  const scroll = useMemo(() => ({ scroller, count: data.length, onLast }), [scroller, data.length, onLast]);
  const tableColumns = useMemo(() => withGroupCells(columns, groupBy, groups.data?.groups), [columns, groupBy, groups.data]);
  // Shift-click selects (or clears) every loaded record between the last one ticked and this one.
  const order = useRef<number[]>([]);
  order.current = useMemo(() => rows.map((r) => r.id as number), [rows]);
  const anchor = useRef<number | null>(null);
  const toggle = useCallback((id: number, on: boolean, range: boolean) => {
    const from = range && anchor.current !== null ? order.current.indexOf(anchor.current) : -1;
    const to = order.current.indexOf(id);
    const ids = from >= 0 && to >= 0 ? order.current.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
    anchor.current = id;
    setSelected((prev) => (on ? [...new Set([...prev, ...ids])] : prev.filter((k) => !ids.includes(k))));
  }, []);
  const rowSelection = useMemo(
    () => ({
      selectedRowKeys: selected,
      onChange: (keys: Key[]) => setSelected(keys.filter((k): k is number => typeof k === 'number')),
      getCheckboxProps: (r: Row) => ({ disabled: isGroup(r) }),
      // antd names the header checkbox "Select all" in English whatever the locale.
      getTitleCheckboxProps: () => ({ 'aria-label': t('table.selectAll') }),
      // antd's select-all header stays; each row's checkbox is our memoised one (no shift-click ranges).
      renderCell: (checked: boolean, r: Row, _i: number, origin: ReactNode) =>
        isGroup(r) ? origin : <SelectCell id={r.id} checked={checked} onToggle={toggle} t={t} />,
    }),
    [selected, toggle, t],
  );
  const sortBy = useRef(onSort);
  sortBy.current = onSort;
  // The table is drawn again only when what it shows changes, not when a page starts or stops loading.
  const table = useMemo(
    () => (
      <Table<Row>
        size="small"
        rowKey="id"
        columns={tableColumns}
        dataSource={data}
        pagination={false}
        components={components}
        rowSelection={selectable ? rowSelection : undefined}
        onChange={(_p, _f, sorter) => {
          const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<Row> | undefined;
          sortBy.current(s?.order ? `${s.order === 'descend' ? '-' : ''}${String(s.columnKey)}` : undefined);
        }}
      />
    ),
    [tableColumns, data, components, selectable, rowSelection],
  );

  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <LoadingState label={t('records.loading')} />;
  if (!rows.length) return <EmptyState title={t('records.emptyTitle')} description={t('records.emptyHint', { entity: entity.name })} />;
  if (narrow)
    return (
      <RecordCards
        entity={entity}
        related={related}
        config={config}
        rows={rows}
        hasNext={!!query.hasNextPage}
        loadingNext={query.isFetchingNextPage}
        fetchNext={() => void query.fetchNextPage()}
      />
    );

  return (
    <>
      {selected.length > 0 && <BulkBar entity={entity} ids={selected} canUpdate={can('bulk_edit')} canDelete={can('delete')} onDone={() => setSelected([])} />}
      <Scroll.Provider value={scroll}>
        <div ref={setScroller} style={{ height: VIEW_HEIGHT, overflow: 'auto' }}>
          {table}
        </div>
      </Scroll.Provider>
      <Flex align="center" justify="space-between" style={{ marginTop: 8 }}>
        <Typography.Text type="secondary" aria-live="polite">
          {t('table.loaded', { count: shown.length })}
        </Typography.Text>
        {query.hasNextPage && (
          // With an icon of its own the button shows its spinner without the width animation, which
          // measures the button (a layout of the whole table) each time a page starts and stops loading.
          <Button icon={<DownOutlined />} onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            {t('table.loadMore')}
          </Button>
        )}
      </Flex>
    </>
  );
}

function GroupHeader({ field, value, count }: { field: Field; value: string | null; count: number | undefined }) {
  const { t } = useTranslation();
  return (
    <Flex gap={8} align="center" role="heading" aria-level={2}>
      <Typography.Text strong>{value === null ? t('table.noValue') : optionLabel({ field, value })}</Typography.Text>
      {count !== undefined && <Tag>{t('table.groupCount', { count })}</Tag>}
    </Flex>
  );
}

/**
 * The columns as the table gets them: a group row spans every column with its header. Cells
 * render again only when their record changes (`shouldCellUpdate`): while scrolling, rows that stay
 * in sight keep their cells instead of re-rendering every cell on every frame.
 */
function withGroupCells(
  columns: ColumnType<Row>[],
  groupBy: Field | undefined,
  groups: { value: string | null; count: number }[] | undefined,
): ColumnType<Row>[] {
  const count = (value: string | null) => groups?.find((g) => g.value === value)?.count;
  // A new set of columns (the related entities arrived, the view changed) draws each cell once more.
  const changedSince = () => {
    const drawn = new WeakSet<Row>();
    return (r: Row, prev: Row) => {
      if (r === prev && !isGroup(r) && drawn.has(r)) return false;
      drawn.add(r);
      return true;
    };
  };
  return columns.map((c, i) =>
    i === 0
      ? {
          ...c,
          shouldCellUpdate: changedSince(),
          onCell: (r: Row) => (isGroup(r) ? { colSpan: columns.length } : {}),
          render: (v: unknown, r: Row, idx: number) =>
            isGroup(r) ? <GroupHeader field={groupBy!} value={r.__group} count={count(r.__group)} /> : c.render?.(v, r, idx),
        }
      : { ...c, shouldCellUpdate: changedSince(), onCell: (r: Row) => (isGroup(r) ? { colSpan: 0 } : {}) },
  );
}

function withGroupRows(rows: RecordRow[], groupBy: Field | undefined): Row[] {
  if (!groupBy) return rows;
  const out: Row[] = [];
  let last: string | null | undefined;
  for (const r of rows) {
    const v = (r[groupBy.key] as string | null) ?? null;
    if (v !== last) out.push({ __group: v, id: `group:${v ?? ''}` });
    last = v;
    out.push(r);
  }
  return out;
}

function useColumns({
  entity,
  related,
  config,
  canEdit,
  recordsPath,
}: {
  entity: Entity;
  related: Map<string, Entity>;
  config: ViewConfig;
  canEdit: boolean;
  recordsPath: string;
}): ColumnType<Row>[] {
  const { t } = useTranslation();
  // Record columns also receive group rows, whose cells the table replaces (colSpan) before they render.
  return useMemo(() => recordColumns() as unknown as ColumnType<Row>[], [entity, related, config.columns, config.sort, canEdit, recordsPath, t]);

  function recordColumns(): ColumnsType<RecordRow> {
    const byKey = new Map(entity.fields.map((f) => [f.key, f]));
    const chosen = config.columns?.length ? config.columns.filter((c) => byKey.has(c.key)) : entity.fields.map((f) => ({ key: f.key, width: undefined }));
    const sortKey = config.sort?.replace(/^-/, '');
    const order = (key: string): SortOrder => (sortKey === key ? (config.sort?.startsWith('-') ? 'descend' : 'ascend') : null);
    return [
      {
        key: 'id',
        title: t('records.id'),
        dataIndex: 'id',
        width: 90,
        render: (id: number) => (
          <Link to={`${recordsPath}/${id}`} aria-label={t('records.open', { id })}>
            #{id}
          </Link>
        ),
      },
      ...chosen.map(({ key, width }) => {
        const field = byKey.get(key)!;
        return {
          key,
          title: field.label,
          dataIndex: key,
          width: width ?? 180,
          sorter: isSortable(field),
          sortOrder: order(key),
          render: (value: unknown, record: RecordRow) => {
            const shown =
              field.type === 'relation' ? (
                <RelationValue field={field} record={record} target={related.get(String(field.settings.targetEntityId))} />
              ) : field.type === 'subform' ? (
                <SubformValue field={field} rows={value} />
              ) : (
                <FieldCell field={field} value={value} />
              );
            return canEdit && INLINE_TYPES.has(field.type) ? (
              <EditableCell entity={entity} field={field} record={record}>
                {shown}
              </EditableCell>
            ) : (
              shown
            );
          },
        };
      }),
      {
        key: 'updatedAt',
        title: t('records.updatedAt'),
        dataIndex: 'updatedAt',
        width: 180,
        sorter: true,
        sortOrder: order('updatedAt'),
        render: (value: string) => <time dateTime={value}>{formatDateTime({ value })}</time>,
      },
    ];
  }
}
