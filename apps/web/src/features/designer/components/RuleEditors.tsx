import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { DefaultValue } from '@crm/forms';
import { Button, Flex, Form, Select, theme, Typography } from 'antd';
import { type ReactNode, useCallback, useId, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntityChoice } from '../../../field-types/field-type-ui';
import { ConditionBuilder, type ConditionField, type ConditionVariable, FormulaEditor, type FormulaEditorField } from '../../../rules';
import type { DesignField } from '../model/design-state';
import { useDesignStore } from '../model/design-store';
import type { RuleSlots } from './FieldProperties';

/** Form rules run in the browser and on the server over the form's values: no member, only the clock. */
export const FORM_VARIABLES: readonly ConditionVariable[] = ['$today', '$now'];

/** The form's fields as the designer holds them now (unpublished ones too), for completion and conditions. */
export function useFormFields(except?: string): FormField[] {
  const store = useDesignStore();
  // Kept by identity while its fields are: a keystroke in one field's label must not hand the
  // other field's editors (conditions, formulas over 199 fields) a new list.
  const cache = useRef<{ list: FormField[]; byField: WeakMap<DesignField, FormField> }>(null);
  cache.current ??= { list: [], byField: new WeakMap() };
  const select = useCallback(() => {
    const c = cache.current!;
    const next: FormField[] = [];
    for (const f of Object.values(store.get().fields)) {
      if (f.key === except) continue;
      let ff = c.byField.get(f);
      if (!ff) c.byField.set(f, (ff = { ...f, settings: f.settings ?? {} }));
      next.push(ff);
    }
    if (next.length !== c.list.length || next.some((f, i) => f !== c.list[i])) c.list = next;
    return c.list;
  }, [store, except]);
  return useSyncExternalStore(store.subscribe, select);
}

/** A designer field with its settings (empty when it has none), as the rule editors read fields. */
export type FormField = DesignField & { settings: Record<string, unknown> };

/** A labelled editor row: the label names the editor (its id), like the panel's other inputs. */
export function RuleItem({ label, help, children }: { label: string; help?: ReactNode; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <Form.Item label={<span id={`${id}-label`}>{label}</span>} htmlFor={id} help={help} style={{ marginBottom: 12 }}>
      {children(id)}
    </Form.Item>
  );
}

/** A condition over `fields` (json-logic the server compiles), in a labelled row; null from the builder clears it. */
export function ConditionRow({
  label,
  value,
  onChange,
  fields,
  help,
  subject = 'form',
  problem,
}: {
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
  fields: readonly ConditionField[];
  help?: ReactNode;
  /** 'records' for a filter of another entity's records (relation picker). */
  subject?: 'form' | 'records';
  /** The server's problem with this condition (from the publish preview), `path` inside it. */
  problem?: { path: string; message: string };
}) {
  const { token } = theme.useToken();
  return (
    <RuleItem label={label}>
      {(id) => (
        <div style={{ background: token.colorFillQuaternary, borderRadius: token.borderRadius, padding: '4px 8px 8px' }}>
          {help && (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', fontSize: token.fontSizeSM }}>
              {help}
            </Typography.Paragraph>
          )}
          <ConditionBuilder
            id={id}
            aria-label={label}
            fields={fields}
            value={value ?? null}
            systemFields={false}
            subject={subject}
            variables={subject === 'form' ? FORM_VARIABLES : undefined}
            onChange={(v) => onChange(v === null ? undefined : v)}
            problem={problem ? { path: problem.path || '', message: problem.message } : null}
          />
        </div>
      )}
    </RuleItem>
  );
}

/** The rule editors (apps/web/src/rules/) over the designer's current fields, for the property panels. */
/** The editors read the form's fields themselves: the slots stay the same object while fields change. */
function SlotFormula(props: { value: string; onChange: (v: string) => void; label: string }) {
  return <FormulaRow {...props} fields={useFormFields()} />;
}

function SlotCondition(props: { value: unknown; onChange: (v: unknown) => void; label: string }) {
  return <ConditionRow {...props} fields={useFormFields()} />;
}

const RULE_SLOTS: RuleSlots = {
  renderFormula: (args) => <SlotFormula {...args} />,
  renderCondition: (args) => <SlotCondition {...args} />,
};

export function useRuleSlots(): RuleSlots {
  return RULE_SLOTS;
}

export function FormulaRow({
  label,
  value,
  onChange,
  fields,
  problem,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  fields: readonly FormulaEditorField[];
  /** The server's problem with this formula (from the publish preview). */
  problem?: { code: string; message: string };
}) {
  return (
    <RuleItem label={label}>
      {(id) => <FormulaEditor id={id} aria-label={label} value={value} onChange={onChange} fields={fields} problem={problem ?? null} />}
    </RuleItem>
  );
}

type Linkage = Extract<DefaultValue, { kind: 'linkage' }>;

/** One "source field = this form's field" pair of a linkage condition. */
interface MatchPair {
  source: string;
  form: string;
}

const TOKEN = /^\$form\.([a-z][a-z0-9_]*)$/;

/** The pairs of a linkage condition written by this editor (`{"and":[{"==":[{"var":s},"$form.k"]}…]}`); null when it is another shape. */
export function pairsOf(condition: unknown): MatchPair[] | null {
  if (condition === undefined || condition === null || (typeof condition === 'object' && Object.keys(condition).length === 0)) return [];
  const list = (condition as { and?: unknown[] }).and ?? [condition];
  const out: MatchPair[] = [];
  for (const c of list) {
    const eq = (c as { '=='?: unknown[] })['=='];
    const source = (eq?.[0] as { var?: unknown } | undefined)?.var;
    const form = typeof eq?.[1] === 'string' ? TOKEN.exec(eq[1])?.[1] : undefined;
    if (typeof source !== 'string' || !form) return null;
    out.push({ source, form });
  }
  return out;
}

export function conditionOf(pairs: MatchPair[]): unknown {
  const done = pairs.filter((p) => p.source && p.form).map((p) => ({ '==': [{ var: p.source }, `$form.${p.form}`] }));
  return done.length === 1 ? done[0] : { and: done };
}

/**
 * 数据联动: the newest record of a source entity whose fields match this form's values gives the
 * default. Match pairs "source field = form field" are the json-logic condition the server runs,
 * with `$form.<key>` tokens for the form's values (packages/forms DefaultValue).
 */
export function LinkageEditor({
  value,
  onChange,
  entities,
  formFields,
}: {
  value: Linkage;
  onChange: (v: Linkage) => void;
  entities: readonly EntityChoice[];
  formFields: readonly DesignField[];
}) {
  const { t } = useTranslation();
  const source = entities.find((e) => e.id === value.entityId);
  const parsed = pairsOf(value.condition);
  // Rows not yet complete (a new match before both its fields are picked) are not part of the
  // condition the server runs, so they live here until they are.
  const [pending, setPending] = useState<MatchPair[]>([]);
  const pairs = [...(parsed ?? []), ...pending];
  const setPairs = (next: MatchPair[]) => {
    setPending(next.filter((p) => !(p.source && p.form)));
    onChange({ ...value, condition: conditionOf(next) });
  };
  const sourceOptions = (source?.fields ?? []).map((f) => ({ value: f.key, label: f.label }));
  return (
    <div role="group" aria-label={t('designer.defaultLinkage')}>
      <RuleItem label={t('designer.linkageEntity')}>
        {(id) => (
          <Select
            id={id}
            aria-label={t('designer.linkageEntity')}
            value={value.entityId || undefined}
            placeholder={t('designer.linkagePick')}
            options={entities.map((e) => ({ value: e.id, label: e.name }))}
            onChange={(entityId: string) => {
              setPending([]);
              onChange({ kind: 'linkage', entityId, condition: { and: [] }, valueField: '' });
            }}
            style={{ width: '100%' }}
          />
        )}
      </RuleItem>
      {source && (
        <>
          <Typography.Text strong>{t('designer.linkageMatch')}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {parsed ? t('designer.linkageMatchHelp') : t('designer.linkageCustom')}
          </Typography.Paragraph>
          {pairs.map((p, i) => (
            <Flex key={i} gap={4} align="center" style={{ marginBottom: 6 }}>
              <Select
                aria-label={t('designer.linkageSourceField', { n: i + 1 })}
                value={p.source || undefined}
                options={sourceOptions}
                onChange={(s: string) => setPairs(pairs.map((x, j) => (j === i ? { ...x, source: s } : x)))}
                style={{ flex: 1, minWidth: 0 }}
              />
              <Typography.Text aria-hidden>=</Typography.Text>
              <Select
                aria-label={t('designer.linkageFormField', { n: i + 1 })}
                value={p.form || undefined}
                options={formFields.map((f) => ({ value: f.key, label: f.label }))}
                onChange={(f: string) => setPairs(pairs.map((x, j) => (j === i ? { ...x, form: f } : x)))}
                style={{ flex: 1, minWidth: 0 }}
              />
              <Button
                type="text"
                aria-label={t('designer.linkageRemove', { n: i + 1 })}
                icon={<DeleteOutlined />}
                onClick={() => setPairs(pairs.filter((_, j) => j !== i))}
              />
            </Flex>
          ))}
          {parsed && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setPairs([...pairs, { source: '', form: '' }])} style={{ marginBottom: 12 }}>
              {t('designer.linkageAdd')}
            </Button>
          )}
          <RuleItem label={t('designer.linkageValueField')}>
            {(id) => (
              <Select
                id={id}
                aria-label={t('designer.linkageValueField')}
                value={value.valueField || undefined}
                options={sourceOptions}
                onChange={(valueField: string) => onChange({ ...value, valueField })}
                style={{ width: '100%' }}
              />
            )}
          </RuleItem>
        </>
      )}
    </div>
  );
}
