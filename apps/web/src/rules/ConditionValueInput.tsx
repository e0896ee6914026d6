import { RELATIVE_DATE_RANGES } from '@crm/rules';
import { ADDRESS_LEVELS, fieldTypes, regionChildren, regionPath } from '@crm/schema';
import { Cascader, DatePicker, Input, InputNumber, Select, Space, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { departmentTree, useDepartments, useMembers, type DepartmentNode } from '../features/org/api/org.queries';
import { settingsOf, type BuilderOperator, type ConditionField, type ConditionVariable } from './condition-model';

/** What a value input of the condition builder gets. */
export interface ConditionValueInputProps {
  field: ConditionField;
  op: BuilderOperator;
  value: unknown;
  onChange: (value: unknown) => void;
  /** Variables the caller allows (current member, my departments, today, now). */
  variables: readonly ConditionVariable[];
  'aria-label': string;
  status?: 'error';
}

type Option = { value: string | number | boolean; label: string };

const isList = (op: BuilderOperator) => op === 'in' || op === 'not_in';

/**
 * The value input of one rule. The field types' `FilterInput` (field-types/<type>) takes one
 * value of the field; a rule's value depends on its operator too (lists for in, two ends for
 * between, ranges, regions, variables), so the builder picks its input from the operator and the
 * field's value kind.
 */
export function ConditionValueInput(props: ConditionValueInputProps) {
  return <BuiltInValueInput {...props} />;
}

function BuiltInValueInput(props: ConditionValueInputProps) {
  const { field, op } = props;
  if (op === 'date_range') return <DateRangeInput {...props} />;
  if (op === 'in_region') return <RegionInput {...props} />;
  if (field.type === 'member') return <MemberInput {...props} />;
  if (field.type === 'department') return <DepartmentInput {...props} />;
  const kind = fieldTypes[field.type].valueKind(settingsOf(field) as never);
  if (op === 'between') return <BetweenInput {...props} kind={kind} />;
  const options = choiceOptions(field);
  if (options) return <ChoiceInput {...props} options={options} />;
  if (kind === 'boolean') return <ChoiceInput {...props} options={[]} booleans />;
  if (kind === 'date' || kind === 'datetime') return <DateInput {...props} kind={kind} />;
  if (kind === 'number' || kind === 'id') {
    if (isList(op)) return <TagsInput {...props} numbers />;
    return (
      <InputNumber
        aria-label={props['aria-label']}
        status={props.status}
        value={num(props.value)}
        onChange={(v) => props.onChange(v ?? null)}
        style={{ width: 160 }}
      />
    );
  }
  if (isList(op)) return <TagsInput {...props} />;
  return (
    <Input
      aria-label={props['aria-label']}
      status={props.status}
      value={str(props.value)}
      onChange={(e) => props.onChange(e.target.value)}
      style={{ width: 200 }}
    />
  );
}

const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function choiceOptions(field: ConditionField): Option[] | undefined {
  const options = settingsOf(field).options;
  if (!Array.isArray(options)) return undefined;
  return options.map((o: { value: string; label?: string }) => ({ value: o.value, label: o.label ?? o.value }));
}

function ChoiceInput(props: ConditionValueInputProps & { options: Option[]; booleans?: boolean }) {
  const { t } = useTranslation();
  const options = props.booleans
    ? [
        { value: true, label: t('rules.condition.true') },
        { value: false, label: t('rules.condition.false') },
      ]
    : props.options;
  return (
    <Select
      aria-label={props['aria-label']}
      status={props.status}
      mode={isList(props.op) ? 'multiple' : undefined}
      value={props.value ?? undefined}
      options={options as never}
      onChange={(v: unknown) => props.onChange(v)}
      style={{ minWidth: 180 }}
      placeholder={t('rules.condition.pickValue')}
    />
  );
}

function TagsInput(props: ConditionValueInputProps & { numbers?: boolean }) {
  const { t } = useTranslation();
  const list = Array.isArray(props.value) ? props.value.map(String) : [];
  return (
    <Select
      aria-label={props['aria-label']}
      status={props.status}
      mode="tags"
      open={false}
      value={list}
      tokenSeparators={[',', '，']}
      placeholder={t('rules.condition.typeValues')}
      onChange={(values: string[]) => props.onChange(props.numbers ? values.map(Number).filter((n) => Number.isFinite(n)) : values)}
      style={{ minWidth: 220 }}
    />
  );
}

function BetweenInput(props: ConditionValueInputProps & { kind: string }) {
  const { t } = useTranslation();
  const [low, high] = Array.isArray(props.value) ? (props.value as unknown[]) : [null, null];
  const set = (index: 0 | 1, v: unknown) => props.onChange(index === 0 ? [v ?? null, high ?? null] : [low ?? null, v ?? null]);
  if (props.kind === 'date' || props.kind === 'datetime') {
    const part = (index: 0 | 1, v: unknown) => (
      <DateInput
        {...props}
        kind={props.kind}
        op="=="
        value={v}
        onChange={(x) => set(index, x)}
        aria-label={`${props['aria-label']} ${t(index === 0 ? 'rules.condition.from' : 'rules.condition.to')}`}
      />
    );
    return (
      <Space wrap>
        {part(0, low)}
        {part(1, high)}
      </Space>
    );
  }
  return (
    <Space.Compact>
      <InputNumber aria-label={`${props['aria-label']} ${t('rules.condition.from')}`} status={props.status} value={num(low)} onChange={(v) => set(0, v)} />
      <InputNumber aria-label={`${props['aria-label']} ${t('rules.condition.to')}`} status={props.status} value={num(high)} onChange={(v) => set(1, v)} />
    </Space.Compact>
  );
}

/** A date (YYYY-MM-DD) or datetime (ISO), or the variable today / now. */
function DateInput(props: ConditionValueInputProps & { kind: string }) {
  const { t } = useTranslation();
  const variable: ConditionVariable = props.kind === 'date' ? '$today' : '$now';
  const allowed = props.variables.includes(variable);
  const isVariable = props.value === variable;
  const picker = (
    <DatePicker
      aria-label={props['aria-label']}
      status={props.status}
      showTime={props.kind === 'datetime'}
      value={typeof props.value === 'string' && !isVariable ? dayjs(props.value) : null}
      onChange={(d) => props.onChange(d ? (props.kind === 'date' ? d.format('YYYY-MM-DD') : d.toISOString()) : null)}
    />
  );
  if (!allowed) return picker;
  return (
    <Space.Compact>
      <Select
        aria-label={t('rules.condition.valueSource', { field: props.field.label })}
        value={isVariable ? 'variable' : 'fixed'}
        onChange={(mode) => props.onChange(mode === 'variable' ? variable : null)}
        options={[
          { value: 'fixed', label: t('rules.condition.fixedDate') },
          { value: 'variable', label: t(`rules.variables.${variable}`) },
        ]}
        style={{ width: 120 }}
      />
      {!isVariable && picker}
    </Space.Compact>
  );
}

function DateRangeInput(props: ConditionValueInputProps) {
  const { t } = useTranslation();
  const custom = typeof props.value === 'object' && props.value !== null;
  const bounds = (custom ? props.value : {}) as { from?: string | null; to?: string | null };
  return (
    <Space wrap>
      <Select
        aria-label={props['aria-label']}
        status={props.status}
        value={custom ? 'custom' : ((props.value as string | null) ?? undefined)}
        onChange={(v: string) => props.onChange(v === 'custom' ? { from: dayjs().format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') } : v)}
        options={[
          ...RELATIVE_DATE_RANGES.map((r) => ({ value: r, label: t(`rules.dateRanges.${r}`) })),
          { value: 'custom', label: t('rules.dateRanges.custom') },
        ]}
        style={{ width: 160 }}
      />
      {custom && (
        <DatePicker.RangePicker
          aria-label={t('rules.condition.customRange', { field: props.field.label })}
          allowEmpty={[true, true]}
          value={[bounds.from ? dayjs(bounds.from) : null, bounds.to ? dayjs(bounds.to) : null]}
          onChange={(range) => props.onChange({ from: range?.[0]?.format('YYYY-MM-DD') ?? null, to: range?.[1]?.format('YYYY-MM-DD') ?? null })}
        />
      )}
    </Space>
  );
}

/** Members by name, plus "current member" ($user) when allowed. */
function MemberInput(props: ConditionValueInputProps) {
  const { t } = useTranslation();
  const members = useMembers();
  const options: Option[] = [
    ...(props.variables.includes('$user') ? [{ value: '$user', label: t('rules.variables.$user') }] : []),
    ...(members.data ?? []).map((m) => ({ value: m.id, label: m.name })),
  ];
  return (
    <Select
      aria-label={props['aria-label']}
      status={props.status}
      mode={isList(props.op) ? 'multiple' : undefined}
      loading={members.isLoading}
      showSearch={{ optionFilterProp: 'label' }}
      value={props.value ?? undefined}
      options={options as never}
      onChange={(v: unknown) => props.onChange(v)}
      placeholder={t('rules.condition.pickMember')}
      style={{ minWidth: 200 }}
    />
  );
}

const toTreeData = (nodes: DepartmentNode[]): { value: string; title: string; children: unknown[] }[] =>
  nodes.map((n) => ({ value: n.department.id, title: n.department.name, children: toTreeData(n.children) }));

/** Departments from the tree; "in" may instead take my departments ($user_departments). */
function DepartmentInput(props: ConditionValueInputProps) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const mine = props.value === '$user_departments';
  const tree = (
    <TreeSelect
      aria-label={props['aria-label']}
      status={props.status}
      multiple={isList(props.op)}
      treeDefaultExpandAll
      showSearch={{ treeNodeFilterProp: 'title' }}
      loading={departments.isLoading}
      value={mine ? undefined : (props.value ?? undefined)}
      treeData={toTreeData(departmentTree(departments.data ?? [])) as never}
      onChange={(v: unknown) => props.onChange(v)}
      placeholder={t('rules.condition.pickDepartment')}
      style={{ minWidth: 200 }}
    />
  );
  if (!isList(props.op) || !props.variables.includes('$user_departments')) return tree;
  return (
    <Space.Compact>
      <Select
        aria-label={t('rules.condition.valueSource', { field: props.field.label })}
        value={mine ? 'mine' : 'these'}
        onChange={(v) => props.onChange(v === 'mine' ? '$user_departments' : [])}
        options={[
          { value: 'these', label: t('rules.condition.theseDepartments') },
          { value: 'mine', label: t('rules.variables.$user_departments') },
        ]}
        style={{ width: 130 }}
      />
      {!mine && tree}
    </Space.Compact>
  );
}

interface RegionOption {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: RegionOption[];
}

/** A province, city or district (the address's region codes); any level may be chosen. */
function RegionInput(props: ConditionValueInputProps) {
  const { t } = useTranslation();
  const code = typeof props.value === 'string' ? props.value : undefined;
  const parts = code ? regionPath(code) : {};
  const path = ADDRESS_LEVELS.map((level) => parts[level]).filter((c): c is string => typeof c === 'string');
  return (
    <Cascader
      aria-label={props['aria-label']}
      status={props.status}
      changeOnSelect
      showSearch
      value={path.length ? path : undefined}
      options={buildRegions()}
      onChange={(value) => props.onChange(Array.isArray(value) && value.length ? String(value[value.length - 1]) : null)}
      placeholder={t('rules.condition.pickRegion')}
      style={{ minWidth: 220 }}
    />
  );
}

let regionCache: RegionOption[] | undefined;
/** The whole region tree once (about 3 900 entries, ships with @crm/schema). */
function buildRegions(): RegionOption[] {
  if (regionCache) return regionCache;
  const build = (parent: string | undefined, depth: number): RegionOption[] =>
    regionChildren(parent).map(([value, label]) => {
      const children = depth < 2 ? build(value, depth + 1) : [];
      return { value, label, isLeaf: children.length === 0, children: children.length ? children : undefined };
    });
  regionCache = build(undefined, 0);
  return regionCache;
}
