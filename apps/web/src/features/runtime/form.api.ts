import type { FormDefinition } from '@crm/forms';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { api, callOrThrow } from '../../api/client';
import type { Id } from '../apps/api/apps.api';
import type { RecordRow } from './records.api';

export interface PublishedForm {
  version: number;
  schema: RJSFSchema;
  uiSchema: UiSchema;
  /** The form's rules (visibility, required-when, defaults) as the member may see them. */
  form: FormDefinition;
}

/** The published form's JSON Schema and uiSchema in one language (GET …/form/schema). */
export async function formSchemaOrThrow(args: { entityId: Id; locale: 'en' | 'zh-CN'; signal?: AbortSignal }): Promise<PublishedForm> {
  return (await callOrThrow(
    api.GET('/api/entities/{entityId}/form/schema', {
      params: { path: { entityId: String(args.entityId) }, query: { locale: args.locale } },
      signal: args.signal,
    }),
  )) as unknown as PublishedForm;
}

/** Creates a record through the write pipeline (POST …/records). */
export async function createRecordOrThrow(args: { entityId: Id; values: Record<string, unknown> }): Promise<RecordRow> {
  return (await callOrThrow(
    api.POST('/api/entities/{entityId}/records', { params: { path: { entityId: String(args.entityId) } }, body: args.values as never }),
  )) as RecordRow;
}

/** The value of a field's data-linkage default for the form's current values (POST …/form/linkage, read as the member). */
export async function linkageValueOrThrow(args: { entityId: Id; field: string; values: Record<string, unknown>; signal?: AbortSignal }): Promise<unknown> {
  const answer = await callOrThrow(
    api.POST('/api/entities/{entityId}/form/linkage', {
      params: { path: { entityId: String(args.entityId) } },
      body: { field: args.field, values: args.values },
      signal: args.signal,
    }),
  );
  return (answer as { value: unknown }).value;
}
