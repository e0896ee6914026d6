import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Grid } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../../ui/states';
import { useEntities, useEntity } from '../../apps/hooks/apps.queries';
import { type FormDesign, getDesignOrThrow } from '../api/design.api';
import { stateFromDocument } from '../model/design-state';
import { DesignStore, DesignStoreContext } from '../model/design-store';
import { DesignerWorkspace } from './DesignerWorkspace';
import type { RuleSlots } from './FieldProperties';

export const designKey = (entityId: string) => ['entities', entityId, 'form-design'] as const;

/**
 * /apps/:appId/entities/:entityId/design — the form designer (its own lazy chunk). Loads the
 * server's designer document; everything after that is local state saved back by the autosave.
 * `slots` is where the rule editors (apps/web/src/rules/) plug in the formula editor and the
 * condition builder.
 */
const NO_SLOTS: RuleSlots = {};

export function DesignerPage({ slots = NO_SLOTS }: { slots?: RuleSlots }) {
  const { t } = useTranslation();
  const { appId = '', entityId = '' } = useParams();
  // Performance marks (docs/performance.md): from opening the route to the canvas painted.
  useState(() => performance.mark('designer:open'));
  const design = useQuery({
    queryKey: designKey(entityId),
    queryFn: ({ signal }) => getDesignOrThrow(entityId, signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const entity = useEntity(entityId);
  const entities = useEntities(appId);
  const choices = useMemo(() => (entities.data ?? []).map((e) => ({ id: String(e.id), name: e.name, fields: e.fields })), [entities.data]);
  if (design.isError) return <ErrorState error={design.error} onRetry={() => void design.refetch()} />;
  if (design.isPending || entity.isPending) return <LoadingState label={t('designer.loading')} />;
  return (
    <Loaded
      key={`${entityId}:${design.dataUpdatedAt}`}
      design={design.data}
      entityName={entity.data?.name ?? ''}
      appId={appId}
      entityId={entityId}
      entities={choices}
      slots={slots}
    />
  );
}

function Loaded({
  design,
  entityName,
  appId,
  entityId,
  entities,
  slots,
}: {
  design: FormDesign;
  entityName: string;
  appId: string;
  entityId: string;
  entities: { id: string; name: string; fields: { key: string; label: string; type: string }[] }[];
  slots: RuleSlots;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const store = useMemo(() => new DesignStore(stateFromDocument(design.document)), [design]);
  const screens = Grid.useBreakpoint();
  useEffect(() => {
    requestAnimationFrame(() => {
      performance.mark('designer:ready');
      if (performance.getEntriesByName('designer:open').length) performance.measure('designer:open-to-ready', 'designer:open', 'designer:ready');
    });
  }, [store]);
  const [reloading, setReloading] = useState(false);
  const reload = useCallback(async () => {
    setReloading(true);
    await queryClient.invalidateQueries({ queryKey: designKey(entityId) });
    await queryClient.invalidateQueries({ queryKey: ['entities', entityId] });
    await queryClient.invalidateQueries({ queryKey: ['apps', appId, 'entities'] });
    setReloading(false);
  }, [queryClient, entityId, appId]);
  return (
    <DesignStoreContext.Provider value={store}>
      {reloading && <Alert type="info" title={t('designer.reloading')} />}
      <DesignerWorkspace
        store={store}
        design={design}
        entityName={entityName}
        entityId={entityId}
        entities={entities}
        slots={slots}
        narrow={!screens.lg}
        onReload={reload}
        reloadButton={(label: string) => (
          <Button size="small" onClick={() => void reload()}>
            {label}
          </Button>
        )}
      />
    </DesignStoreContext.Provider>
  );
}
