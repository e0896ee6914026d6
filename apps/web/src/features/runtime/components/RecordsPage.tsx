import { ApartmentOutlined, FormOutlined, PlusOutlined, RestOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useNavigate, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../../ui/states';
import type { Entity } from '../../apps/api/apps.api';
import { useApp, useEntity } from '../../apps/hooks/apps.queries';
import { ImportExportActions } from '../../import';
import { useBinAllowed } from '../hooks/bin.queries';
import { useMyAccess } from '../hooks/useMyAccess';
import { useRelatedEntities } from '../hooks/useRelatedEntities';
import { conditionsOf, exportViewOf, filterOf, type SimpleCondition } from '../view-state';
import type { SavedView, ViewConfig, ViewKind } from '../views.api';
import { CalendarView, calendarFieldOf } from './calendar/CalendarView';
import { KanbanBoard } from './kanban/KanbanBoard';
import { SavedViews } from './SavedViews';
import { RecordsTable } from './table/RecordsTable';
import { ViewToolbar } from './ViewToolbar';

/** /apps/:appId/entities/:entityId: the entity's records as a table, kanban or calendar; a record opens in a drawer (its own URL). */
export function RecordsPage() {
  const { entityId = '' } = useParams();
  const entity = useEntity(entityId);
  if (entity.isPending) return <LoadingState />;
  if (entity.isError) return <ErrorState error={entity.error} onRetry={() => void entity.refetch()} />;
  // A new entity (or version) starts afresh.
  return <RecordsOfEntity key={`${entity.data.id}:${entity.data.version}`} entity={entity.data} />;
}

function RecordsOfEntity({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const { appId = '' } = useParams();
  // Design links for workspace admins and the app's own admins (the server says which).
  const canDesign = useApp(appId).data?.canDesign ?? false;
  const navigate = useNavigate();
  const related = useRelatedEntities(entity);
  const binAllowed = useBinAllowed(entity);
  // New, inline edit, bulk actions, import and export show only for members allowed to (the server says which).
  const access = useMyAccess(entity);
  const [view, setView] = useState<SavedView | null>(null);
  const [kind, setKind] = useState<ViewKind>('table');
  const [config, setConfig] = useState<ViewConfig>({});
  const [conditions, setConditions] = useState<SimpleCondition[]>([]);
  const filter = useMemo(() => filterOf(entity, { ...config, filter: undefined }, conditions), [entity, config, conditions]);
  const pick = (v: SavedView | null) => {
    setView(v);
    setKind(v?.kind ?? 'table');
    const { conditions: c } = conditionsOf(v?.config.filter ?? null);
    setConditions(c);
    setConfig({ ...(v?.config ?? {}), filter: undefined });
  };
  // What a saved view stores: the conditions as its filter (the quick search stays `search`).
  const saved: ViewConfig = { ...config, filter: filterOf(entity, {}, conditions) ?? undefined };
  // A calendar view names its date field even when the member kept the default one.
  const calendarField = kind === 'calendar' ? calendarFieldOf(entity, config) : undefined;
  if (calendarField) saved.calendar = { mode: 'month', ...config.calendar, field: calendarField.key };

  return (
    <section aria-labelledby="records-title">
      <Flex align="center" justify="space-between" wrap gap={8}>
        <Typography.Title level={1} id="records-title" style={{ fontSize: 20, marginTop: 0 }}>
          {entity.name}
        </Typography.Title>
        <Flex gap={12} wrap align="center">
          {access.can('create') && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate(`/apps/${appId}/entities/${entity.id}/new`)}>
              {t('recordForm.new')}
            </Button>
          )}
          {binAllowed && (
            <Link to={`/apps/${appId}/entities/${entity.id}/recycle-bin`}>
              <RestOutlined aria-hidden /> {t('bin.open')}
            </Link>
          )}
          {canDesign && (
            <>
              <Link to={`/apps/${appId}/entities/${entity.id}/design`}>
                <FormOutlined aria-hidden /> {t('designer.open')}
              </Link>
              <Link to={`/apps/${appId}/entities/${entity.id}/workflows`}>
                <ApartmentOutlined aria-hidden /> {t('workflows.list.open')}
              </Link>
            </>
          )}
        </Flex>
      </Flex>
      <ViewToolbar
        key={view?.id ?? 'none'}
        entity={entity}
        related={related}
        kind={kind}
        onKind={setKind}
        config={config}
        onConfig={setConfig}
        conditions={conditions}
        onConditions={setConditions}
        views={<SavedViews entity={entity} current={view} kind={kind} config={saved} onPick={pick} />}
        extra={
          <ImportExportActions entity={entity} view={exportViewOf(entity, config, filter)} canImport={access.can('import')} canExport={access.can('export')} />
        }
      />
      {kind === 'kanban' ? (
        <KanbanBoard entity={entity} config={config} filter={filter} />
      ) : kind === 'calendar' ? (
        <CalendarView entity={entity} config={config} filter={filter} />
      ) : (
        <RecordsTable entity={entity} related={related} config={config} filter={filter} onSort={(sort) => setConfig((c) => ({ ...c, sort }))} />
      )}
      <Outlet context={entity} />
    </section>
  );
}
