import type { DefaultValue, FormFieldConfig } from '@crm/forms';
import { Alert, Divider, Segmented } from 'antd';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntityChoice } from '../../../field-types/field-type-ui';
import { fieldTypeUis } from '../../../field-types/registry';
import type { ConditionField } from '../../../rules';
import type { DesignField } from '../model/design-state';
import { useDesignStore, useProblem } from '../model/design-store';
import { ConditionRow, FormulaRow, LinkageEditor, RuleItem, useFormFields } from './RuleEditors';

const KINDS = ['none', 'static', 'formula', 'linkage'] as const;

function emptyDefault(kind: (typeof KINDS)[number]): DefaultValue | undefined {
  if (kind === 'static') return { kind: 'static', value: null };
  if (kind === 'formula') return { kind: 'formula', formula: '' };
  if (kind === 'linkage') return { kind: 'linkage', entityId: '', condition: { and: [] }, valueField: '' };
  return undefined;
}

/**
 * The rules of one field in the side panel: its default (static, formula over the form's other
 * fields, or data linkage), visibility and required-when conditions over the form's fields, and
 * for a relation the filter of the records its picker offers (over the target entity's fields).
 */
export const FieldRuleProperties = memo(function FieldRuleProperties({
  field,
  config,
  computed,
  entities,
  setConfig: apply,
  setSettings,
}: {
  field: DesignField;
  config: FormFieldConfig;
  computed: boolean;
  entities: readonly EntityChoice[];
  setConfig: (patch: Partial<FormFieldConfig>, coalesce?: string) => void;
  setSettings: (patch: Record<string, unknown>) => void;
}) {
  const { t } = useTranslation();
  const others = useFormFields(field.key);
  const def = config.default;
  const setDefault = (d: DefaultValue | undefined, coalesce?: string) => setConfig({ default: d }, coalesce);
  const StaticInput = fieldTypeUis[field.type].FilterInput;
  const at = `/form/fields/${field.key}`;
  const store = useDesignStore();
  // A changed rule is no longer what the server's problem was about.
  const setConfig = (patch: Partial<FormFieldConfig>, coalesce?: string) => {
    for (const k of Object.keys(patch)) store.clearProblems(`${at}/${k}`);
    apply(patch, coalesce);
  };
  const defaultProblem = useProblem(`${at}/default`);
  const visibleProblem = useProblem(`${at}/visibleWhen`);
  const requiredProblem = useProblem(`${at}/requiredWhen`);
  const target = field.type === 'relation' ? entities.find((e) => e.id === String(field.settings?.targetEntityId ?? '')) : undefined;
  return (
    <>
      <Divider style={{ margin: '8px 0 12px' }}>{t('designer.rules')}</Divider>
      {!computed && (
        <>
          <RuleItem label={t('designer.defaultKind')}>
            {(id) => (
              <Segmented
                id={id}
                aria-label={t('designer.defaultKind')}
                size="small"
                value={def?.kind ?? 'none'}
                options={KINDS.map((k) => ({ value: k, label: t(`designer.defaultKinds.${k}`) }))}
                onChange={(k) => setDefault(emptyDefault(k as (typeof KINDS)[number]))}
              />
            )}
          </RuleItem>
          {def?.kind === 'static' && (
            <StaticInput
              field={field}
              value={def.value ?? undefined}
              label={t('designer.defaultValue')}
              onChange={(v) => setDefault({ kind: 'static', value: v ?? null }, `default:${field.key}`)}
            />
          )}
          {def?.kind === 'formula' && (
            <FormulaRow
              label={t('designer.defaultFormula')}
              value={def.formula}
              fields={others}
              problem={defaultProblem}
              onChange={(formula) => setDefault({ kind: 'formula', formula }, `default:${field.key}`)}
            />
          )}
          {def?.kind === 'linkage' && <LinkageEditor value={def} entities={entities} formFields={others} onChange={(d) => setDefault(d)} />}
          {def?.kind !== 'formula' && defaultProblem && (
            <Alert type="error" showIcon role="alert" title={defaultProblem.message} style={{ marginBottom: 12 }} />
          )}
        </>
      )}
      <ConditionRow
        label={t('designer.visibleWhen')}
        help={t('designer.visibleWhenHelp')}
        value={config.visibleWhen}
        problem={visibleProblem}
        fields={others}
        onChange={(v) => setConfig({ visibleWhen: v })}
      />
      {!computed && (
        <ConditionRow
          label={t('designer.requiredWhen')}
          help={t('designer.requiredWhenHelp')}
          value={config.requiredWhen}
          problem={requiredProblem}
          fields={others}
          onChange={(v) => setConfig({ requiredWhen: v })}
        />
      )}
      {target && (
        <ConditionRow
          label={t('designer.relationFilter')}
          help={t('designer.relationFilterHelp', { entity: target.name })}
          value={field.settings?.filter}
          fields={target.fields as ConditionField[]}
          subject="records"
          onChange={(v) => setSettings({ filter: v })}
        />
      )}
    </>
  );
});
