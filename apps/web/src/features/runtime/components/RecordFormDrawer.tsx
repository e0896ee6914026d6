import Form from '@rjsf/antd';
import type { ErrorSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Drawer, Grid } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useOutletContext, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { queryKeys } from '../../../api/query-keys';
import { FORM_WIDGETS, withSubformTables } from '../../../field-types/form-widgets';
import { FormWidgetContext, type FormWidgetContextValue } from '../../../field-types/shared/widget-context';
import { problemText } from '../../../ui/problem';
import { ErrorState, LoadingState } from '../../../ui/states';
import type { Entity } from '../../apps/api/apps.api';
import { createRecordOrThrow, formSchemaOrThrow } from '../form.api';
import { errorSchemaOf } from './form-errors';

// The server's own ajv keywords (decimalPlaces, nonEmpty, readOnlyField) are left to the server.
const validator = customizeValidator({ ajvOptionsOverrides: { strict: false } });

/**
 * /apps/:appId/entities/:entityId/new: the entity's published form, rendered by @rjsf with the
 * field types' widgets; the server's field errors land on the fields; a saved record opens.
 */
export function RecordFormDrawer() {
  const { t, i18n } = useTranslation();
  const entity = useOutletContext<Entity>();
  const { appId = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const form = useQuery({
    queryKey: [...queryKeys.entity(entity.id), 'v', entity.version, 'form-schema', locale],
    queryFn: ({ signal }) => formSchemaOrThrow({ entityId: entity.id, locale, signal }),
  });
  const [data, setData] = useState<Record<string, unknown>>({});
  const [serverErrors, setServerErrors] = useState<ErrorSchema | undefined>();
  const dataRef = useRef(data);
  dataRef.current = data;
  const ctx = useMemo<FormWidgetContextValue>(() => ({ entityId: entity.id, fields: entity.fields, values: () => dataRef.current }), [entity]);
  const uiSchema = useMemo(
    () => (form.data ? { ...withSubformTables(form.data.uiSchema, entity.fields), 'ui:submitButtonOptions': { submitText: t('recordForm.submit') } } : {}),
    [form.data, entity.fields, t],
  );
  const save = useMutation({
    mutationFn: (values: Record<string, unknown>) => createRecordOrThrow({ entityId: entity.id, values }),
    onSuccess: async (record) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.recordLists(entity.id) });
      navigate(`/apps/${appId}/entities/${entity.id}/records/${record.id}`);
    },
    onError: (err) => setServerErrors(err instanceof ApiError ? errorSchemaOf(err.errors) : undefined),
  });
  // On a phone the form takes the whole width (a 736 px drawer would run off the screen).
  const narrow = Grid.useBreakpoint().md === false;
  const close = () => navigate(`/apps/${appId}/entities/${entity.id}`);

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
      {save.isError && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={t('recordForm.failed')} description={problemText(save.error, t)} />
      )}
      {form.data && (
        <FormWidgetContext.Provider value={ctx}>
          <Form
            schema={form.data.schema}
            uiSchema={uiSchema}
            formData={data}
            validator={validator}
            widgets={FORM_WIDGETS}
            extraErrors={serverErrors}
            onChange={(e) => setData(e.formData as Record<string, unknown>)}
            onSubmit={(e) => {
              setServerErrors(undefined);
              save.mutate(e.formData as Record<string, unknown>);
            }}
            disabled={save.isPending}
            noHtml5Validate
            showErrorList={false}
          />
        </FormWidgetContext.Provider>
      )}
    </Drawer>
  );
}
