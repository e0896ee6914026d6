import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Drawer, Grid } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useOutletContext, useParams } from 'react-router';
import { queryKeys } from '../../../api/query-keys';
import { ErrorState, LoadingState } from '../../../ui/states';
import type { Entity } from '../../apps/api/apps.api';
import { useSignedInSession } from '../../auth/hooks/useSession';
import { createRecordOrThrow, formSchemaOrThrow } from '../form.api';
import { DraftOffer } from './form/DraftOffer';
import { StaffForm } from './form/StaffForm';
import { useRecordDraft } from './form/useRecordDraft';

/**
 * /apps/:appId/entities/:entityId/new: the entity's published form (StaffForm). What the member
 * types is kept as a draft in this browser; a draft found on opening is offered back first.
 * A saved record opens its page.
 */
export function RecordFormDrawer() {
  const { t, i18n } = useTranslation();
  const entity = useOutletContext<Entity>();
  const { appId = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSignedInSession();
  const locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const form = useQuery({
    queryKey: [...queryKeys.entity(entity.id), 'v', entity.version, 'form-schema', locale],
    queryFn: ({ signal }) => formSchemaOrThrow({ entityId: entity.id, locale, signal }),
  });
  const draft = useRecordDraft({ memberId: String(session.user.id), entityId: String(entity.id), recordId: 'new' });
  const [initial, setInitial] = useState<{ values: Record<string, unknown>; typed: string[] } | null>(null);
  // On a phone the form takes the whole width (a 736 px drawer would run off the screen).
  const narrow = Grid.useBreakpoint().md === false;
  const close = () => navigate(`/apps/${appId}/entities/${entity.id}`);
  const start = initial ?? (draft.found ? null : { values: {}, typed: [] });

  return (
    <Drawer
      open
      size={narrow ? '100%' : 'large'}
      title={t('recordForm.title', { entity: entity.name })}
      onClose={close}
      closable={{ 'aria-label': t('common.close') }}
    >
      {form.isPending && <LoadingState />}
      {form.isError && <ErrorState error={form.error} onRetry={() => void form.refetch()} />}
      {form.data && !start && draft.found && (
        <DraftOffer
          draft={draft.found}
          description={(time) => t('recordForm.draftSaved', { time })}
          onRestore={() => {
            setInitial({ values: draft.found!.values, typed: draft.found!.typed });
            draft.settle();
          }}
          onDiscard={() => {
            draft.discard();
            setInitial({ values: {}, typed: [] });
          }}
        />
      )}
      {form.data && start && (
        <StaffForm
          entityId={String(entity.id)}
          fields={entity.fields}
          published={form.data}
          locale={locale}
          phone={narrow}
          initial={start}
          onInput={(values, typed) => draft.keep(values, typed)}
          save={async (values) => {
            draft.flush();
            const record = await createRecordOrThrow({ entityId: entity.id, values });
            draft.clear();
            await queryClient.invalidateQueries({ queryKey: queryKeys.recordLists(entity.id) });
            navigate(`/apps/${appId}/entities/${entity.id}/records/${record.id}`);
          }}
        />
      )}
    </Drawer>
  );
}
