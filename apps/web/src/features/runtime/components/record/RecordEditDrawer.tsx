import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Flex, Grid } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../../api/client';
import { queryKeys } from '../../../../api/query-keys';
import { formulaDefaultKeys } from '../../../../rules/form-rules';
import { problemText } from '../../../../ui/problem';
import { ErrorState, LoadingState } from '../../../../ui/states';
import type { Entity } from '../../../apps/api/apps.api';
import { useSignedInSession } from '../../../auth/hooks/useSession';
import { formSchemaOrThrow } from '../../form.api';
import { updateRecordOrThrow, type RecordRow } from '../../records.api';
import { DraftOffer } from '../form/DraftOffer';
import { StaffForm } from '../form/StaffForm';
import { submitValues } from '../form/submit-values';
import { linkageKeys } from '../form/useLinkageDefaults';
import { useRecordDraft } from '../form/useRecordDraft';

type Values = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The record's values the form has fields for (the form shows only what the member may see). */
function formValuesOf(record: RecordRow, keys: string[]): Values {
  const out: Values = {};
  for (const k of keys) if (record[k] !== undefined && record[k] !== null) out[k] = record[k];
  return out;
}

/** Only what the member changed, a cleared value as null: a partial update never rewrites a field they did not touch. */
function changesOf(before: Values, after: Values, keys: string[]): Values {
  const out: Values = {};
  for (const k of keys) if (!same(before[k], after[k])) out[k] = after[k] === undefined || after[k] === '' ? null : after[k];
  return out;
}

/**
 * Editing a record from its page: the entity's published form in StaffForm (its sections and
 * columns, its rules run as the member types) filled with the record's values. What the member
 * types is kept as a draft keyed by the record; a draft found on reopening is offered back.
 * Save sends only the changed fields the member can see (not the read-only ones, not those the
 * rules hide) with the version read (PATCH, the normal write path). When someone else saved the
 * record meanwhile (409 VERSION_CONFLICT) the member's input stays and they choose: take the
 * other version, or save their changes over it.
 */
export function RecordEditDrawer({ entity, record, onClose }: { entity: Entity; record: RecordRow; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const session = useSignedInSession();
  const locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const form = useQuery({
    queryKey: [...queryKeys.entity(entity.id), 'v', entity.version, 'form-schema', locale],
    queryFn: ({ signal }) => formSchemaOrThrow({ entityId: entity.id, locale, signal }),
  });
  const draft = useRecordDraft({ memberId: String(session.user.id), entityId: String(entity.id), recordId: String(record.id) });
  // The form's fields, read-only ones too (a serial number shows its stored value).
  const shown = useMemo(() => Object.keys((form.data?.schema.properties as object | undefined) ?? {}), [form.data]);
  // The fields an edit may send: the form's, less the read-only ones the server assigns.
  const keys = useMemo(() => {
    const props = (form.data?.schema.properties ?? {}) as Record<string, { readOnly?: boolean } | boolean>;
    return Object.keys(props).filter((k) => !(typeof props[k] === 'object' && (props[k] as { readOnly?: boolean }).readOnly));
  }, [form.data]);
  // The version and values the edit starts from; a conflict answered "take theirs" moves both.
  const [base, setBase] = useState<RecordRow>(record);
  const [restored, setRestored] = useState<{ values: Values; typed: string[] } | null>(null);
  // "Take theirs" starts the form again from the other version.
  const [round, setRound] = useState(0);
  const [conflict, setConflict] = useState<RecordRow | null>(null);
  // A failed "Save mine anyway" (a failed Save shows in the form).
  const [mineFailed, setMineFailed] = useState<unknown>(null);
  // The last values submitted and the fields hidden then: "Save mine anyway" sends those.
  const pending = useRef<{ values: Values; hidden: ReadonlySet<string> } | null>(null);

  const send = useMutation({
    mutationFn: (args: { version: number; values: Values }) =>
      updateRecordOrThrow({ entityId: entity.id, recordId: record.id, version: args.version, values: args.values }),
  });
  const sendChanges = async (version: number, values: Values, hidden: ReadonlySet<string>) => {
    // A field the rules hide keeps its stored value: nothing hidden is sent.
    const changed = changesOf(
      formValuesOf(base, keys),
      values,
      keys.filter((k) => !hidden.has(k)),
    );
    if (!Object.keys(changed).length) {
      draft.clear();
      return onClose();
    }
    try {
      await send.mutateAsync({ version, values: changed });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') {
        const current = (err.problem as { current?: RecordRow }).current;
        if (current) {
          draft.flush();
          setConflict(current);
          return;
        }
      }
      throw err;
    }
    draft.clear();
    await queryClient.invalidateQueries({ queryKey: queryKeys.recordLists(entity.id) });
    onClose();
  };
  const narrow = Grid.useBreakpoint().md === false;
  // Formula and linkage defaults fill a new record only: the stored values of an edit are not recomputed.
  const own = form.data ? [...formulaDefaultKeys(form.data.form), ...linkageKeys(form.data.form)] : [];
  const start = restored ?? (draft.found ? null : { values: formValuesOf(base, shown), typed: own });

  return (
    <Drawer
      open
      size={narrow ? '100%' : 'large'}
      title={t('recordEdit.title', { entity: entity.name, id: record.id })}
      onClose={onClose}
      closable={{ 'aria-label': t('common.close') }}
    >
      {form.isPending && <LoadingState />}
      {form.isError && <ErrorState error={form.error} onRetry={() => void form.refetch()} />}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={t('recordEdit.conflictTitle')}
          description={
            <Flex vertical gap={8}>
              <span>{t('recordEdit.conflictText', { version: conflict.version })}</span>
              <Flex gap={8} wrap>
                <Button
                  onClick={() => {
                    draft.clear();
                    setBase(conflict);
                    setRestored(null);
                    setConflict(null);
                    setMineFailed(null);
                    setRound((r) => r + 1);
                  }}
                >
                  {t('recordEdit.takeTheirs')}
                </Button>
                <Button
                  type="primary"
                  loading={send.isPending}
                  onClick={() => {
                    const p = pending.current;
                    setConflict(null);
                    // The member's changes against the version they read, sent over the newer one.
                    setMineFailed(null);
                    if (p) void sendChanges(conflict.version, p.values, p.hidden).catch(setMineFailed);
                    setBase(conflict);
                  }}
                >
                  {t('recordEdit.saveMine')}
                </Button>
              </Flex>
            </Flex>
          }
        />
      )}
      {!conflict && mineFailed !== null && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={t('recordEdit.failed')} description={problemText(mineFailed, t)} />
      )}
      {form.data && !start && draft.found && (
        <DraftOffer
          draft={draft.found}
          description={(time) => t('recordEdit.draftSaved', { time })}
          onRestore={() => {
            setRestored({ values: draft.found!.values, typed: [...new Set([...own, ...draft.found!.typed])] });
            draft.settle();
          }}
          onDiscard={() => draft.discard()}
        />
      )}
      {form.data && start && (
        <StaffForm
          key={round}
          entityId={String(entity.id)}
          fields={entity.fields}
          published={form.data}
          locale={locale}
          phone={narrow}
          initial={start}
          submitText={t('recordEdit.save')}
          onInput={(values, typed) => {
            draft.keep(values, typed);
            if (pending.current) pending.current = { ...pending.current, values: submitValues({ schema: form.data.schema, values }) };
          }}
          save={async (values, { hidden }) => {
            setMineFailed(null);
            pending.current = { values, hidden };
            await sendChanges(base.version, values, hidden);
          }}
        />
      )}
    </Drawer>
  );
}
