import { buildFormSchemas, type FormDefinition, FormsError, type Locale, normalizeFormOrThrow } from '@crm/forms';
import { type FieldDefinition, type FieldTypeKey, normalizeFieldOrThrow } from '@crm/schema';
import Form from '@rjsf/antd';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { Alert, Segmented, Typography } from 'antd';
import { memo, useDeferredValue, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { FORM_WIDGETS } from '../../../field-types/form-widgets';
import { FormWidgetContext, type FormWidgetContextValue } from '../../../field-types/shared/widget-context';
import { type DesignState, documentFromState } from '../model/design-state';
import { useDesign } from '../model/design-store';
import { newlyTyped, type PreviewRules, previewRules, schemaWithRules } from '../../../rules/form-rules';
import { LayoutFieldTemplate, LayoutObjectTemplate, type PreviewContext } from '../../../ui/FormLayoutTemplate';

// The server's schemas carry its own ajv keywords (decimalPlaces, nonEmpty, readOnlyField): the
// browser checks the standard ones and leaves those to the server.
const validator = customizeValidator({ ajvOptionsOverrides: { strict: false } });

/** Widgets by field type, named `ft_<type>`: the same widgets the staff forms use. */
const WIDGETS = FORM_WIDGETS;
/** Types whose value is an object: rjsf renders their own fields (subforms get the editable table). */
const STRUCTURED = new Set<FieldTypeKey>(['address', 'location']);

interface Built {
  schema: RJSFSchema;
  uiSchema: UiSchema;
  problems: string[];
  form: FormDefinition;
  fields: FieldDefinition[];
}

function build(state: DesignState, locale: Locale): Built {
  const doc = documentFromState(state);
  const problems: string[] = [];
  const fields: FieldDefinition[] = [];
  for (const f of doc.fields) {
    try {
      fields.push(normalizeFieldOrThrow({ field: { ...f, settings: f.settings ?? {} } as FieldDefinition }));
    } catch (err) {
      problems.push(`${f.label}: ${(err as Error).message}`);
    }
  }
  let form: FormDefinition;
  try {
    form = normalizeFormOrThrow({ form: doc.form, fields });
  } catch (err) {
    if (!(err instanceof FormsError)) throw err;
    problems.push(...err.issues.map((i) => `${i.path}: ${i.message}`));
    form = normalizeFormOrThrow({ form: { layout: [], fields: {} }, fields });
  }
  const { schema, uiSchema } = buildFormSchemas({ entityFields: fields, form, locale });
  const ui: UiSchema = { ...(uiSchema as UiSchema) };
  for (const f of fields) {
    if (STRUCTURED.has(f.type)) {
      const { 'ui:widget': _w, ...rest } = (ui[f.key] ?? {}) as Record<string, unknown>;
      ui[f.key] = rest;
    } else ui[f.key] = { ...(ui[f.key] as object), 'ui:widget': `ft_${f.type}` };
  }
  return { schema: schema as RJSFSchema, uiSchema: ui, problems, form, fields };
}

/** The failed checks as rjsf errors: next to the field they name, or on the form. */
function errorsOf(rules: PreviewRules): ErrorSchema {
  const out: Record<string, { __errors: string[] }> = {};
  for (const i of rules.issues) {
    const key = i.path.split('/')[1] ?? '';
    if (key && rules.hidden.has(key)) continue;
    (out[key || '__root'] ??= { __errors: [] }).__errors.push(i.message);
  }
  const { __root, ...fields } = out;
  return { ...fields, ...(__root ? { __errors: __root.__errors } : {}) } as ErrorSchema;
}

const TEMPLATES = { ObjectFieldTemplate: LayoutObjectTemplate, FieldTemplate: LayoutFieldTemplate };

/**
 * The live preview: the form as staff will see it, rendered by @rjsf with the Ant Design theme
 * from buildFormSchemas over the designer's (unpublished) fields, laid out in its sections,
 * columns and tabs, with a phone-width toggle. The form's rules run over the sample values as
 * the admin types (formula defaults and fields, visibility, required-when); the submit
 * validations show their messages once the admin checks the form.
 */
export const PreviewPane = memo(function PreviewPane() {
  const { t, i18n } = useTranslation();
  const state = useDeferredValue(useDesign((s) => s));
  const [width, setWidth] = useState<'desktop' | 'phone'>('desktop');
  const [data, setData] = useState<Record<string, unknown>>({});
  const [typed, setTyped] = useState<ReadonlySet<string>>(new Set());
  const [checked, setChecked] = useState(false);
  const locale: Locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const built = useMemo(() => build(state, locale), [state, locale]);
  const rules = useMemo(
    () => previewRules({ form: built.form, fields: built.fields, values: data, typed, now: new Date(), locale }),
    [built, data, typed, locale],
  );
  const schema = useMemo(() => schemaWithRules(built.schema, rules), [built.schema, rules]);
  const onChange = (next: Record<string, unknown>) => {
    const now = newlyTyped({ form: built.form, typed, next, computed: rules.values });
    if (now.length) setTyped(new Set([...typed, ...now]));
    setData(next);
  };
  const failed = checked ? rules.issues.filter((i) => !rules.hidden.has(i.path.split('/')[1] ?? '')) : [];
  const { entityId } = useParams();
  const dataRef = useRef(data);
  dataRef.current = data;
  // The preview's widgets search the published entity (relation options answer for published fields only).
  const widgetContext = useMemo<FormWidgetContextValue>(() => ({ entityId, fields: built.fields, values: () => dataRef.current }), [entityId, built.fields]);
  return (
    <section aria-label={t('designer.preview')}>
      <Segmented
        aria-label={t('designer.previewWidth')}
        value={width}
        onChange={(v) => setWidth(v as 'desktop' | 'phone')}
        options={[
          { value: 'desktop', label: t('designer.desktop') },
          { value: 'phone', label: t('designer.phone') },
        ]}
        style={{ marginBottom: 12 }}
      />
      {built.problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('designer.previewProblems')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {built.problems.slice(0, 20).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      )}
      <div
        data-testid="preview-form"
        style={{
          maxWidth: width === 'phone' ? 375 : undefined,
          border: width === 'phone' ? '1px solid rgba(0,0,0,0.15)' : undefined,
          padding: width === 'phone' ? 12 : 0,
          borderRadius: 8,
        }}
      >
        <FormWidgetContext.Provider value={widgetContext}>
          <Form
            schema={schema}
            uiSchema={{ ...built.uiSchema, 'ui:submitButtonOptions': { submitText: t('designer.previewSubmit'), props: { type: 'primary' } } }}
            formData={rules.values}
            formContext={{ hidden: rules.hidden, phone: width === 'phone' } satisfies PreviewContext}
            templates={TEMPLATES}
            validator={validator}
            widgets={WIDGETS}
            extraErrors={checked ? errorsOf(rules) : undefined}
            liveValidate={checked ? 'onChange' : undefined}
            onChange={(e) => onChange(e.formData as Record<string, unknown>)}
            onSubmit={() => setChecked(true)}
            onError={() => setChecked(true)}
            noHtml5Validate
            showErrorList={false}
          />
          {checked && (
            <Alert
              role="status"
              type={failed.length ? 'error' : 'success'}
              showIcon
              style={{ marginBlock: 12 }}
              title={failed.length ? t('designer.previewFailed') : t('designer.previewPassed')}
              description={
                failed.length ? (
                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                    {failed.map((i, n) => (
                      <li key={n}>{i.message}</li>
                    ))}
                  </ul>
                ) : undefined
              }
            />
          )}
        </FormWidgetContext.Provider>
        <Typography.Text type="secondary">{t('designer.previewNote')}</Typography.Text>
      </div>
    </section>
  );
});
