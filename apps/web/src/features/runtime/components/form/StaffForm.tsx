import type { FieldDefinition } from '@crm/schema';
import type { Locale } from '@crm/forms';
import Form from '@rjsf/antd';
import type { ErrorSchema, UiSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { Alert, Button } from 'antd';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../../api/client';
import { FORM_WIDGETS, withSubformTables } from '../../../../field-types/form-widgets';
import { FormWidgetContext, type FormWidgetContextValue } from '../../../../field-types/shared/widget-context';
import { newlyTyped, previewRules, schemaWithRules } from '../../../../rules/form-rules';
import { LayoutFieldTemplate, LayoutObjectTemplate, type PreviewContext } from '../../../../ui/FormLayoutTemplate';
import { NumberField } from '../../../../ui/NumberField';
import { problemText } from '../../../../ui/problem';
import { createSetStore } from '../../../../ui/set-store';
import type { PublishedForm } from '../../form.api';
import { errorSchemaOf } from '../form-errors';
import { withComputedFields } from './computed-fields';
import { isConnectionProblem, submitValues } from './submit-values';
import { linkageKeys, useLinkageDefaults } from './useLinkageDefaults';

// The server's own ajv keywords (decimalPlaces, nonEmpty, readOnlyField) are left to the server.
const validator = customizeValidator({ ajvOptionsOverrides: { strict: false } });
const TEMPLATES = { ObjectFieldTemplate: LayoutObjectTemplate, FieldTemplate: LayoutFieldTemplate };
const FIELDS = { NumberField };

export interface StaffFormProps {
  entityId: string;
  fields: readonly FieldDefinition[];
  published: PublishedForm;
  locale: Locale;
  phone: boolean;
  initial: { values: Record<string, unknown>; typed: string[] };
  /** Called with every change: the draft keeps it. */
  onInput: (values: Record<string, unknown>, typed: ReadonlySet<string>) => void;
  /** Sends the values (`hidden`: the fields the rules hide now); throws the server's problem. */
  save: (values: Record<string, unknown>, state: { hidden: ReadonlySet<string> }) => Promise<void>;
  /** The submit button's text (default: recordForm.submit). */
  submitText?: string;
}

/**
 * The staff form: @rjsf with the field types' widgets over the server's schema, laid out in
 * the form's sections, with the form's rules run as the member types (formula defaults and
 * fields, visibility, required-when: the same evaluation the server runs, packages/forms).
 * The server's field errors land on the fields; a lost connection keeps the input and offers a retry.
 */
export function StaffForm({ entityId, fields, published, locale, phone, initial, onInput, save, submitText }: StaffFormProps) {
  const { t } = useTranslation();
  const [data, setData] = useState<Record<string, unknown>>(() => {
    performance.mark('staff-form:render-start');
    return initial.values;
  });
  // docs/performance.md: first render to the first frame after the form's commit.
  useEffect(() => {
    const frame = requestAnimationFrame(() => performance.measure('staff-form:mount', 'staff-form:render-start'));
    return () => cancelAnimationFrame(frame);
  }, []);
  const [typed, setTyped] = useState<ReadonlySet<string>>(() => new Set(initial.typed));
  const [serverErrors, setServerErrors] = useState<ErrorSchema | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const drawn = useMemo(() => withComputedFields({ schema: published.schema, uiSchema: published.uiSchema }), [published.schema, published.uiSchema]);
  const rules = useMemo(
    () => previewRules({ form: published.form, fields, values: data, typed, now: new Date(), locale }),
    [published.form, fields, data, typed, locale],
  );
  // docs/performance.md: the schema keeps its identity while its `required` list keeps its content
  // (previewRules builds new sets on every change), so rjsf's registry (and every field's memo) holds
  // across keystrokes; the hidden set reaches the layout through a store, not the form context.
  const ruled = schemaWithRules(drawn.schema, rules);
  const requiredKey = [...(ruled.required as string[])].sort().join('\n');
  const schema = useMemo(() => ruled, [drawn.schema, requiredKey]);
  const [hiddenStore] = useState(() => createSetStore(rules.hidden));
  useLayoutEffect(() => hiddenStore.set(rules.hidden), [hiddenStore, rules.hidden]);
  const valuesRef = useRef(rules.values);
  valuesRef.current = rules.values;
  const hiddenRef = useRef(rules.hidden);
  hiddenRef.current = rules.hidden;
  const linked = useMemo(() => linkageKeys(published.form), [published.form]);
  const latest = useRef({ data, typed, onInput });
  latest.current = { data, typed, onInput };
  // Data-linkage defaults looked up as the member types (the server fills them on save too).
  useLinkageDefaults({
    entityId,
    form: published.form,
    values: rules.values,
    typed,
    fill: (key, value) => {
      const next = { ...latest.current.data, [key]: value };
      setData(next);
      latest.current.onInput(next, latest.current.typed);
    },
  });
  const ctx = useMemo<FormWidgetContextValue>(() => ({ entityId, fields, values: () => valuesRef.current }), [entityId, fields]);
  const uiSchema = useMemo<UiSchema>(
    () => ({
      ...withSubformTables(drawn.uiSchema, fields),
      'ui:submitButtonOptions': { submitText: submitText ?? t('recordForm.submit'), props: { type: 'primary' } },
    }),
    [drawn.uiSchema, fields, t, submitText],
  );
  const formContext = useMemo(() => ({ hidden: hiddenStore, phone }) satisfies PreviewContext, [hiddenStore, phone]);

  const submit = async (values: Record<string, unknown>) => {
    setServerErrors(undefined);
    setFailure(null);
    setBusy(true);
    try {
      await save(submitValues({ schema: published.schema, values }), { hidden: hiddenRef.current });
    } catch (err) {
      setFailure(err);
      setServerErrors(err instanceof ApiError && !isConnectionProblem(err) ? errorSchemaOf(err.errors) : undefined);
    } finally {
      setBusy(false);
    }
  };
  const offline = failure !== null && isConnectionProblem(failure);
  // Save sits at the end of a long form: the message above it is brought into sight.
  const alertRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure !== null) alertRef.current?.scrollIntoView?.({ block: 'start' });
  }, [failure]);

  return (
    <FormWidgetContext.Provider value={ctx}>
      <div ref={alertRef} />
      {failure !== null && (
        <Alert
          type={offline ? 'warning' : 'error'}
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={offline ? t('recordForm.offlineTitle') : t('recordForm.failed')}
          description={offline ? t('recordForm.offline') : problemText(failure, t)}
          action={
            offline && (
              <Button size="small" onClick={() => void submit(valuesRef.current)} loading={busy}>
                {t('common.retry')}
              </Button>
            )
          }
        />
      )}
      <Form
        schema={schema}
        uiSchema={uiSchema}
        formData={rules.values}
        formContext={formContext}
        templates={TEMPLATES}
        fields={FIELDS}
        validator={validator}
        widgets={FORM_WIDGETS}
        extraErrors={serverErrors}
        onChange={(e) => {
          const next = e.formData as Record<string, unknown>;
          // A formula default changed away from its value, or a linkage field the member typed into, is theirs from then on.
          const now = [
            ...newlyTyped({ form: published.form, typed, next, computed: rules.values }),
            ...linked.filter((k) => !typed.has(k) && JSON.stringify(next[k]) !== JSON.stringify(data[k])),
          ];
          const nextTyped = now.length ? new Set([...typed, ...now]) : typed;
          if (now.length) setTyped(nextTyped);
          setData(next);
          onInput(next, nextTyped);
        }}
        onSubmit={(e) => void submit(e.formData as Record<string, unknown>)}
        disabled={busy}
        noHtml5Validate
        showErrorList={false}
      />
    </FormWidgetContext.Provider>
  );
}
