import { hiddenFormFields, type FormDefinition } from '@crm/forms';
import type { FieldDefinition } from '@crm/schema';
import Form from '@rjsf/antd';
import type { ErrorSchema, UiSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Flex, Grid } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../../api/client';
import { queryKeys } from '../../../../api/query-keys';
import { FORM_WIDGETS, withSubformTables } from '../../../../field-types/form-widgets';
import { FormWidgetContext, type FormWidgetContextValue } from '../../../../field-types/shared/widget-context';
import { problemText } from '../../../../ui/problem';
import { ErrorState, LoadingState } from '../../../../ui/states';
import type { Entity } from '../../../apps/api/apps.api';
import { formSchemaOrThrow } from '../../form.api';
import { updateRecordOrThrow, type RecordRow } from '../../records.api';
import { errorSchemaOf } from '../form-errors';

// As the new-record form: the server's own ajv keywords are left to the server.
const validator = customizeValidator({ ajvOptionsOverrides: { strict: false } });

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
 * Editing a record from its page: the entity's published form (the same widgets as a new record)
 * filled with the record's values; the form's show-when rules hide fields as the values change;
 * Save sends only the changed fields with the version read (PATCH, the normal write path). When
 * someone else saved the record meanwhile (409 VERSION_CONFLICT) the member's input stays and they
 * choose: take the other version, or save their changes over it.
 */
export function RecordEditDrawer({ entity, record, onClose }: { entity: Entity; record: RecordRow; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const form = useQuery({
    queryKey: [...queryKeys.entity(entity.id), 'v', entity.version, 'form-schema', locale],
    queryFn: ({ signal }) => formSchemaOrThrow({ entityId: entity.id, locale, signal }),
  });
  const keys = useMemo(() => Object.keys((form.data?.schema.properties as object | undefined) ?? {}), [form.data]);
  // The version and values the edit starts from; a conflict answered "take theirs" moves both.
  const [base, setBase] = useState<RecordRow>(record);
  const [data, setData] = useState<Values | null>(null);
  const [serverErrors, setServerErrors] = useState<ErrorSchema | undefined>();
  const [conflict, setConflict] = useState<RecordRow | null>(null);
  const values = data ?? formValuesOf(base, keys);
  const dataRef = useRef(values);
  dataRef.current = values;
  const ctx = useMemo<FormWidgetContextValue>(() => ({ entityId: entity.id, fields: entity.fields, values: () => dataRef.current }), [entity]);
  const definition = (form.data as { form?: FormDefinition } | undefined)?.form;
  const hidden = useMemo(
    () =>
      definition ? hiddenFormFields({ form: definition, values, now: new Date(), fields: entity.fields as unknown as FieldDefinition[] }) : new Set<string>(),
    [definition, values, entity.fields],
  );
  const uiSchema = useMemo<UiSchema>(() => {
    if (!form.data) return {};
    const out: UiSchema = { ...withSubformTables(form.data.uiSchema, entity.fields), 'ui:submitButtonOptions': { submitText: t('recordEdit.save') } };
    for (const k of hidden) out[k] = { ...((out[k] as object) ?? {}), 'ui:widget': 'hidden' };
    return out;
  }, [form.data, entity.fields, hidden, t]);

  const save = useMutation({
    mutationFn: (args: { version: number; values: Values }) =>
      updateRecordOrThrow({ entityId: entity.id, recordId: record.id, version: args.version, values: args.values }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.recordLists(entity.id) });
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') {
        const current = (err.problem as { current?: RecordRow }).current;
        if (current) setConflict(current);
      }
      setServerErrors(err instanceof ApiError ? errorSchemaOf(err.errors) : undefined);
    },
  });
  const submit = (version: number) => {
    setServerErrors(undefined);
    const before = formValuesOf(base, keys);
    // A field the rules hide keeps its stored value: nothing hidden is sent.
    const changed = changesOf(
      before,
      values,
      keys.filter((k) => !hidden.has(k)),
    );
    if (!Object.keys(changed).length) return onClose();
    save.mutate({ version, values: changed });
  };
  const narrow = Grid.useBreakpoint().md === false;

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
      {conflict ? (
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
                    setBase(conflict);
                    setData(null);
                    setConflict(null);
                    setServerErrors(undefined);
                    save.reset();
                  }}
                >
                  {t('recordEdit.takeTheirs')}
                </Button>
                <Button
                  type="primary"
                  loading={save.isPending}
                  onClick={() => {
                    // The member's changes against the version they read, sent over the newer one.
                    submit(conflict.version);
                    setBase(conflict);
                    setConflict(null);
                  }}
                >
                  {t('recordEdit.saveMine')}
                </Button>
              </Flex>
            </Flex>
          }
        />
      ) : (
        save.isError && (
          <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={t('recordEdit.failed')} description={problemText(save.error, t)} />
        )
      )}
      {form.data && (
        <FormWidgetContext.Provider value={ctx}>
          <Form
            schema={form.data.schema}
            uiSchema={uiSchema}
            formData={values}
            validator={validator}
            widgets={FORM_WIDGETS}
            extraErrors={serverErrors}
            onChange={(e) => setData(e.formData as Values)}
            onSubmit={() => submit(base.version)}
            disabled={save.isPending}
            noHtml5Validate
            showErrorList={false}
          />
        </FormWidgetContext.Provider>
      )}
    </Drawer>
  );
}
