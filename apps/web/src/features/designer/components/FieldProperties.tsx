import type { FieldWidth, FormFieldConfig } from '@crm/forms';
import { FIELD_WIDTHS } from '@crm/forms';
import type { FieldTypeKey } from '@crm/schema';
import { Alert, Divider, Form, Input, Select, Switch, Typography } from 'antd';
import { type ComponentType, memo, type ReactNode, useCallback, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntityChoice, SettingsProps } from '../../../field-types/field-type-ui';
import { fieldTypeUis } from '../../../field-types/registry';
import { renameKey, updateConfig, updateField, updateNode, updateSettings } from '../model/design-ops';
import { type DesignField, fieldNodeId } from '../model/design-state';
import { useDesign, useDesignStore } from '../model/design-store';
import { useDraftText } from '../model/use-draft-text';
import { FieldRuleProperties } from './FieldRuleProperties';
import { textOf } from './text';

const CHOICES = new Set<FieldTypeKey>(['radio', 'select', 'checkbox', 'multiselect']);

/** Slots the rule editors (apps/web/src/rules/) fill; without them the panel offers json-logic and formula text areas. */
export interface RuleSlots {
  renderFormula?: SettingsProps['renderFormula'];
  renderCondition?: (args: { value: unknown; onChange: (v: unknown) => void; label: string }) => ReactNode;
}

function Item({ label, children, help, error }: { label: string; help?: ReactNode; error?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <Form.Item label={label} htmlFor={id} help={error ?? help} validateStatus={error ? 'error' : undefined} style={{ marginBottom: 12 }}>
      {children(id)}
    </Form.Item>
  );
}

/** json-logic typed as JSON: kept while it does not parse, applied when it does (the server checks it on publish). */
export function JsonLogicInput({ value, onChange, label }: { value: unknown; onChange: (v: unknown) => void; label: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value));
  const [bad, setBad] = useState(false);
  useEffect(() => setText(value === undefined ? '' : JSON.stringify(value)), [value]);
  return (
    <Item label={label} help={t('designer.conditionHelp')} error={bad ? t('designer.badJson') : undefined}>
      {(id) => (
        <Input.TextArea
          id={id}
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => {
            if (!text.trim()) return (setBad(false), onChange(undefined));
            try {
              onChange(JSON.parse(text));
              setBad(false);
            } catch {
              setBad(true);
            }
          }}
        />
      )}
    </Item>
  );
}

/**
 * The field without its label's changes: the same object while only the label changes, so that
 * typing a label re-renders the label's row and the title, not the rule editors and settings.
 * (Read the label itself with `useDesign(s => s.fields[key]?.label)`.)
 */
function useFieldWithoutLabel(fieldKey: string): DesignField | undefined {
  const store = useDesignStore();
  const kept = useRef<DesignField | undefined>(undefined);
  const select = useCallback(() => {
    const field = store.get().fields[fieldKey];
    const prev = kept.current;
    const same =
      prev &&
      field &&
      (Object.keys(field) as (keyof DesignField)[]).every((k) => k === 'label' || field[k] === prev[k]) &&
      Object.keys(prev).every((k) => k === 'label' || k in field);
    if (!same) kept.current = field;
    return kept.current;
  }, [store, fieldKey]);
  return useSyncExternalStore(store.subscribe, select);
}

function LabelRow({ fieldKey }: { fieldKey: string }) {
  const { t } = useTranslation();
  const store = useDesignStore();
  const label = useDesign((s) => s.fields[fieldKey]?.label ?? '');
  const draft = useDraftText(label, (text) => store.apply((s) => updateField(s, fieldKey, { label: text }), `label:${fieldKey}`));
  return (
    <Item label={t('designer.label')}>
      {(id) => <Input id={id} value={draft.text} maxLength={100} onChange={(e) => draft.onChange(e.target.value)} onBlur={draft.flush} />}
    </Item>
  );
}

/** A text input of the field's form settings (help, placeholder), committed after the keystroke's paint. */
function ConfigText({ label, value, onCommit }: { label: string; value: string; onCommit: (text: string) => void }) {
  const draft = useDraftText(value, onCommit);
  return <Item label={label}>{(id) => <Input id={id} value={draft.text} onChange={(e) => draft.onChange(e.target.value)} onBlur={draft.flush} />}</Item>;
}

/** A type's own settings panel, rendered again only when its props change. */
const TypeSettings = memo(function TypeSettings({ Settings, ...props }: SettingsProps & { Settings: ComponentType<SettingsProps> }) {
  return <Settings {...props} />;
});

interface PanelProps {
  fieldKey: string;
  published: boolean;
  entities: readonly EntityChoice[];
  slots: RuleSlots;
}

/** The selected field: its entity properties, its form settings, and its type's own settings panel. */
export const FieldProperties = memo(function FieldProperties(props: PanelProps) {
  const { t } = useTranslation();
  const label = useDesign((s) => s.fields[props.fieldKey]?.label);
  if (label === undefined) return null;
  return (
    <div aria-label={t('designer.fieldProperties', { label })}>
      <Typography.Title level={2} style={{ fontSize: 15 }}>
        {t('designer.fieldProperties', { label })}
      </Typography.Title>
      <PanelForm {...props} />
    </div>
  );
});

/**
 * The form around the panel, outside the title: a render of antd's Form gives rc-field-form's
 * context a new value, and React then visits every Form.Item of the panel. Memoised, so typing a
 * label (which changes the title) does not render it again.
 */
const PanelForm = memo(function PanelForm(props: PanelProps) {
  return (
    <Form layout="vertical" component="div">
      <PanelBody {...props} />
    </Form>
  );
});

/** Everything but the title: memoised, so a keystroke in the label re-renders only the label's row. */
const PanelBody = memo(function PanelBody({ fieldKey, published, entities, slots }: PanelProps) {
  const { t } = useTranslation();
  const store = useDesignStore();
  const field = useFieldWithoutLabel(fieldKey);
  const config: FormFieldConfig = useDesign((s) => s.config[fieldKey]) ?? {};
  const node = useDesign((s) => s.nodes[fieldNodeId(fieldKey)]);
  const typeOptions = useMemo(() => (Object.keys(fieldTypeUis) as FieldTypeKey[]).map((k) => ({ value: k, label: t(`fieldTypes.${k}`) })), [t]);
  const [keyText, setKeyText] = useState(fieldKey);
  const [keyError, setKeyError] = useState<string>();
  useEffect(() => setKeyText(fieldKey), [fieldKey]);
  const setField = useCallback(
    (patch: Parameters<typeof updateField>[2], c?: string) => store.apply((s) => updateField(s, fieldKey, patch), c),
    [store, fieldKey],
  );
  const setConfig = useCallback((patch: Partial<FormFieldConfig>, c?: string) => store.apply((s) => updateConfig(s, fieldKey, patch), c), [store, fieldKey]);
  const setSettings = useCallback(
    (patch: Record<string, unknown>) => store.apply((s) => updateSettings(s, fieldKey, patch), `settings:${fieldKey}`),
    [store, fieldKey],
  );
  if (!field) return null;
  const ui = fieldTypeUis[field.type];
  const Settings = ui.Settings;
  const computed = ['formula', 'rollup', 'serial'].includes(field.type);
  const commitKey = () => {
    const next = store.get();
    const renamed = renameKey(next, fieldKey, keyText.trim());
    if (!renamed) return setKeyError(t('designer.badKey'));
    setKeyError(undefined);
    if (renamed !== next) {
      store.apply(() => renamed);
      store.select(fieldNodeId(keyText.trim()));
    }
  };
  return (
    <>
      <LabelRow fieldKey={fieldKey} />
      <Item label={t('designer.key')} help={published ? t('designer.keyFixed') : t('designer.keyHint')} error={keyError}>
        {(id) => (
          <Input id={id} value={keyText} disabled={published} onChange={(e) => setKeyText(e.target.value)} onBlur={commitKey} onPressEnter={commitKey} />
        )}
      </Item>
      <Item label={t('designer.type')} help={published ? t('designer.typeHint') : undefined}>
        {(id) => (
          <Select<FieldTypeKey>
            id={id}
            aria-label={t('designer.type')}
            value={field.type}
            showSearch={{ optionFilterProp: 'label' }}
            options={typeOptions}
            onChange={(type) => setField({ type, settings: CHOICES.has(type) && CHOICES.has(field.type) ? field.settings : {} })}
            style={{ width: '100%' }}
          />
        )}
      </Item>
      <ConfigText label={t('designer.help')} value={textOf(config.help)} onCommit={(help) => setConfig({ help }, `help:${fieldKey}`)} />
      <ConfigText
        label={t('designer.placeholder')}
        value={textOf(config.placeholder)}
        onCommit={(placeholder) => setConfig({ placeholder }, `ph:${fieldKey}`)}
      />
      {!computed && (
        <Item label={t('designer.required')}>{(id) => <Switch id={id} checked={!!field.required} onChange={(v) => setField({ required: v })} />}</Item>
      )}
      <Item label={t('designer.unique')}>{(id) => <Switch id={id} checked={!!field.unique} onChange={(v) => setField({ unique: v })} />}</Item>
      {!computed && (
        <Item label={t('designer.readOnly')}>
          {(id) => <Switch id={id} checked={!!config.readOnly} onChange={(v) => setConfig({ readOnly: v || undefined })} />}
        </Item>
      )}
      <Item label={t('designer.width')}>
        {(id) => (
          <Select<FieldWidth | ''>
            id={id}
            aria-label={t('designer.width')}
            value={node?.kind === 'field' ? (node.width ?? '') : ''}
            options={[
              { value: '', label: t('designer.widthAuto') },
              ...FIELD_WIDTHS.map((w) => ({ value: w, label: w === 'full' ? t('designer.widthFull') : w })),
            ]}
            onChange={(w) => store.apply((s) => updateNode(s, fieldNodeId(fieldKey), { width: w || undefined }))}
            style={{ width: '100%' }}
          />
        )}
      </Item>
      <FieldRuleProperties field={field} config={config} computed={computed} entities={entities} setConfig={setConfig} setSettings={setSettings} />
      <Divider style={{ margin: '8px 0 12px' }}>{t('designer.typeSettings', { type: t(`fieldTypes.${field.type}`) })}</Divider>
      {published && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('designer.publishedHint')} />}
      <TypeSettings Settings={Settings} field={field} onChange={setSettings} published={published} entities={entities} renderFormula={slots.renderFormula} />
    </>
  );
});
