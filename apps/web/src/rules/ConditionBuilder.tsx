import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Input, Segmented, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONDITION_VARIABLES,
  defaultValueFor,
  emptyGroup,
  fromJsonLogic,
  incompleteRules,
  newItemId,
  newRule,
  operatorsForField,
  replaceItem,
  SYSTEM_CONDITION_FIELDS,
  toJsonLogic,
  VALUELESS,
  type BuilderOperator,
  type ConditionField,
  type ConditionGroup,
  type ConditionItem,
  type ConditionRule,
  type ConditionVariable,
} from './condition-model';
import { ConditionValueInput } from './ConditionValueInput';

/** Props of the condition builder (docs/admin-guide.md, "Conditions"). */
export interface ConditionBuilderProps {
  /** The fields a rule may test, e.g. an entity definition's `fields`. */
  fields: readonly ConditionField[];
  /** A json-logic condition of the server's subset, or null for none. */
  value: unknown;
  /** Called with the new json-logic (null when the last rule is removed). Rules still missing a value are left out. */
  onChange: (value: unknown) => void;
  /** Variables offered as values; default all (current member, my departments, today, now). */
  variables?: readonly ConditionVariable[];
  /** Offer the record's owner, creator and times too (default true; false for form rules). */
  systemFields?: boolean;
  /** A server problem about this condition, with its JSON pointer inside the condition (`/and/1`), shown beside that rule. */
  problem?: { path: string; message: string } | null;
  /** What the condition is about: records (filters, row scopes; the default) or a form's values (form rules): changes the wording only. */
  subject?: 'records' | 'form';
  /** Names the builder for assistive technology, e.g. "Row scope condition". */
  'aria-label'?: string;
  id?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Field → operators valid for its type → a value input; and/or groups; variables. Reads and
 * writes exactly the json-logic the server compiles (condition-model.ts); a condition it cannot
 * show is kept as it is and edited as JSON.
 */
export function ConditionBuilder(props: ConditionBuilderProps) {
  const { t } = useTranslation();
  const [tree, setTree] = useState<ConditionGroup | undefined>(() => fromJsonLogic(props.value));
  const [jsonMode, setJsonMode] = useState(() => tree === undefined);
  const emitted = useRef<unknown>(props.value);

  // A new value from outside (another record, a reset): read it again.
  useEffect(() => {
    if (same(props.value, emitted.current)) return;
    emitted.current = props.value;
    const next = fromJsonLogic(props.value);
    setTree(next);
    if (next === undefined) setJsonMode(true);
  }, [props.value]);

  const fields = useMemo(
    () => [
      ...props.fields.filter((f) => operatorsForField(f).length > 0),
      ...(props.systemFields === false ? [] : SYSTEM_CONDITION_FIELDS.map((f) => ({ ...f, label: t(`rules.system.${f.key}`) }))),
    ],
    [props.fields, props.systemFields, t],
  );
  const variables = props.variables ?? CONDITION_VARIABLES;

  const update = (next: ConditionGroup) => {
    setTree(next);
    const json = toJsonLogic(withoutIncomplete(next));
    emitted.current = json;
    props.onChange(json);
  };

  const paths = useMemo(() => (tree ? rulePaths(withoutIncomplete(tree)) : new Map<string, string>()), [tree]);
  const problemId = props.problem ? ruleAtPath(paths, props.problem.path) : undefined;
  const problemRule = problemId && props.problem ? { id: problemId, message: props.problem.message } : undefined;

  return (
    <div id={props.id} role="group" aria-label={props['aria-label'] ?? t('rules.condition.label')}>
      <Flex justify="flex-end" style={{ marginBottom: 4 }}>
        <Button type="link" size="small" onClick={() => setJsonMode(!jsonMode)} disabled={jsonMode && tree === undefined && !isParsable(props.value)}>
          {jsonMode ? t('rules.condition.visualMode') : t('rules.condition.jsonMode')}
        </Button>
      </Flex>
      {jsonMode ? (
        <JsonEditor
          value={props.value}
          unsupported={tree === undefined}
          onChange={(json) => {
            emitted.current = json;
            const next = fromJsonLogic(json);
            setTree(next);
            props.onChange(json);
          }}
        />
      ) : (
        tree && (
          <GroupEditor group={tree} root fields={fields} variables={variables} onChange={update} problemRule={problemRule} form={props.subject === 'form'} />
        )
      )}
      {props.problem && (!problemRule || jsonMode) && <Alert type="error" showIcon role="alert" title={props.problem.message} style={{ marginTop: 8 }} />}
    </div>
  );
}

function isParsable(value: unknown) {
  return fromJsonLogic(value) !== undefined;
}

function withoutIncomplete(group: ConditionGroup): ConditionGroup {
  const missing = new Set(incompleteRules(group).map((r) => r.id));
  const prune = (g: ConditionGroup): ConditionGroup => ({
    ...g,
    items: g.items.filter((i) => !missing.has(i.id)).map((i) => (i.kind === 'group' ? prune(i) : i)),
  });
  return prune(group);
}

/** JSON pointer of each rule in the json-logic `toJsonLogic` writes (a group of one is written bare). */
export function rulePaths(group: ConditionGroup, base = ''): Map<string, string> {
  const out = new Map<string, string>();
  const items = group.items.filter((i) => i.kind === 'rule' || toJsonLogic(i) !== null);
  items.forEach((item, index) => {
    const at = items.length === 1 ? base : `${base}/${group.join}/${index}`;
    if (item.kind === 'rule') out.set(item.id, at);
    else for (const [id, p] of rulePaths(item, at)) out.set(id, p);
  });
  return out;
}

/** The rule a server problem's pointer falls in: the longest rule path that prefixes it. */
function ruleAtPath(paths: Map<string, string>, pointer: string): string | undefined {
  let best: [string, number] | undefined;
  for (const [id, p] of paths) {
    if ((pointer === p || pointer.startsWith(`${p}/`)) && (!best || p.length > best[1])) best = [id, p.length];
  }
  return best?.[0];
}

interface GroupEditorProps {
  group: ConditionGroup;
  root?: boolean;
  fields: readonly ConditionField[];
  variables: readonly ConditionVariable[];
  onChange: (group: ConditionGroup) => void;
  onRemove?: () => void;
  problemRule?: { id: string; message: string };
  /** Worded for a form's values rather than records. */
  form?: boolean;
}

function GroupEditor({ group, root, fields, variables, onChange, onRemove, problemRule, form }: GroupEditorProps) {
  const { t } = useTranslation();
  const setItem = (id: string, next: ConditionItem | null) => onChange(replaceItem(group, id, next));
  const first = fields[0];
  return (
    <div
      role="group"
      aria-label={root ? t('rules.condition.rootGroup') : t('rules.condition.subGroup')}
      style={root ? undefined : { borderInlineStart: '3px solid var(--ant-color-primary-border, #91caff)', paddingInlineStart: 12, marginBlock: 4 }}
    >
      <Flex gap={8} align="center" wrap style={{ marginBottom: 8 }}>
        <Typography.Text>{t(form ? 'rules.condition.matchForm' : 'rules.condition.match')}</Typography.Text>
        <Segmented
          aria-label={t('rules.condition.join')}
          size="small"
          value={group.join}
          onChange={(join) => onChange({ ...group, join: join as 'and' | 'or' })}
          options={[
            { value: 'and', label: t('rules.condition.and') },
            { value: 'or', label: t('rules.condition.or') },
          ]}
        />
        {onRemove && <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('rules.condition.removeGroup')} onClick={onRemove} />}
      </Flex>
      {group.items.length === 0 && (
        <Typography.Paragraph type="secondary">{t(form ? 'rules.condition.emptyForm' : 'rules.condition.empty')}</Typography.Paragraph>
      )}
      {group.items.map((item, index) =>
        item.kind === 'group' ? (
          <GroupEditor
            key={item.id}
            group={item}
            fields={fields}
            variables={variables}
            onChange={(next) => setItem(item.id, next)}
            onRemove={() => setItem(item.id, null)}
            problemRule={problemRule}
            form={form}
          />
        ) : (
          <RuleEditor
            key={item.id}
            index={index + 1}
            rule={item}
            fields={fields}
            variables={variables}
            onChange={(next) => setItem(item.id, next)}
            onRemove={() => setItem(item.id, null)}
            problem={problemRule?.id === item.id ? problemRule.message : undefined}
          />
        ),
      )}
      <Space wrap>
        <Button size="small" icon={<PlusOutlined />} disabled={!first} onClick={() => first && onChange({ ...group, items: [...group.items, newRule(first)] })}>
          {t('rules.condition.addRule')}
        </Button>
        <Button
          size="small"
          icon={<PlusOutlined />}
          disabled={!first}
          onClick={() =>
            first && onChange({ ...group, items: [...group.items, { ...emptyGroup(group.join === 'and' ? 'or' : 'and'), items: [newRule(first)] }] })
          }
        >
          {t('rules.condition.addGroup')}
        </Button>
      </Space>
    </div>
  );
}

interface RuleEditorProps {
  rule: ConditionRule;
  index: number;
  fields: readonly ConditionField[];
  variables: readonly ConditionVariable[];
  onChange: (rule: ConditionRule) => void;
  onRemove: () => void;
  /** The server's message about this rule. */
  problem?: string;
}

function RuleEditor({ rule, index, fields, variables, onChange, onRemove, problem }: RuleEditorProps) {
  const { t } = useTranslation();
  const field = fields.find((f) => f.key === rule.field);
  const operators = field ? operatorsForField(field) : [];
  const missing = !VALUELESS.has(rule.op) && incompleteRules({ kind: 'group', id: '', join: 'and', items: [rule] }).length > 0;
  const label = (part: string) => t(`rules.condition.${part}`, { n: index });
  return (
    <Flex gap={8} align="center" wrap style={{ marginBottom: 8 }} role="group" aria-label={t('rules.condition.ruleN', { n: index })}>
      <Select
        aria-label={label('fieldN')}
        showSearch={{ optionFilterProp: 'label' }}
        value={field ? rule.field : undefined}
        status={field ? undefined : 'error'}
        placeholder={t('rules.condition.unknownField', { key: rule.field })}
        options={fields.map((f) => ({ value: f.key, label: f.label }))}
        onChange={(key: string) => {
          const next = fields.find((f) => f.key === key)!;
          const fresh = newRule(next);
          onChange({ ...fresh, id: rule.id });
        }}
        style={{ minWidth: 160 }}
      />
      <Select
        aria-label={label('operatorN')}
        value={rule.op}
        options={operators.map((op) => ({ value: op, label: t(`rules.operators.${op}`) }))}
        onChange={(op: BuilderOperator) => onChange({ ...rule, op, value: keepValue(rule, op) })}
        style={{ minWidth: 120 }}
      />
      {field && !VALUELESS.has(rule.op) && (
        <ConditionValueInput
          field={field}
          op={rule.op}
          value={rule.value}
          variables={variables}
          onChange={(value) => onChange({ ...rule, value })}
          aria-label={label('valueN')}
          status={missing || problem ? 'error' : undefined}
        />
      )}
      <Button type="text" danger icon={<DeleteOutlined />} aria-label={label('removeN')} onClick={onRemove} />
      {missing && (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          {t('rules.condition.needsValue')}
        </Typography.Text>
      )}
      {problem && (
        <Typography.Text type="danger" role="alert">
          {problem}
        </Typography.Text>
      )}
    </Flex>
  );
}

/** Keeps the value across an operator change when it still fits (a scalar stays a scalar, a list a list). */
function keepValue(rule: ConditionRule, op: BuilderOperator): unknown {
  const wasList = rule.op === 'in' || rule.op === 'not_in';
  const isList = op === 'in' || op === 'not_in';
  const scalarOps = ['==', '!=', '<', '<=', '>', '>=', 'contains', 'not_contains', 'starts_with'];
  if (wasList && isList) return rule.value;
  if (scalarOps.includes(rule.op) && scalarOps.includes(op)) return rule.value;
  return defaultValueFor(op);
}

function JsonEditor({ value, unsupported, onChange }: { value: unknown; unsupported: boolean; onChange: (json: unknown) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => (value == null ? '' : JSON.stringify(value, null, 2)));
  const [error, setError] = useState<string | null>(null);
  const id = useMemo(() => `cond-json-${newItemId()}`, []);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {unsupported && <Alert type="info" showIcon title={t('rules.condition.unsupported')} />}
      <label htmlFor={id}>{t('rules.condition.jsonLabel')}</label>
      <Input.TextArea
        id={id}
        value={text}
        autoSize={{ minRows: 3, maxRows: 16 }}
        status={error ? 'error' : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        style={{ fontFamily: 'monospace' }}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) {
            setError(null);
            onChange(null);
            return;
          }
          try {
            const json: unknown = JSON.parse(e.target.value);
            setError(null);
            onChange(json);
          } catch {
            setError(t('rules.condition.badJson'));
          }
        }}
      />
      {error && (
        <Typography.Text id={`${id}-error`} type="danger">
          {error}
        </Typography.Text>
      )}
    </Space>
  );
}
