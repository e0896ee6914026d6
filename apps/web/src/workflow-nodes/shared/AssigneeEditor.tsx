import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { AssigneeRule } from '@crm/workflow';
import { Button, Checkbox, Flex, InputNumber, Select, Typography } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesignContext } from '../node-type-ui';
import { ProblemText } from './ProblemText';

const KINDS: AssigneeRule['kind'][] = ['members', 'roles', 'departments', 'submitterHead', 'memberField', 'submitter'];

/** A fresh rule of the kind, with an empty pick the admin completes. */
export function newRule(kind: AssigneeRule['kind']): AssigneeRule {
  switch (kind) {
    case 'members':
    case 'roles':
      return { kind, ids: [] };
    case 'departments':
      return { kind, ids: [], includeChildren: true };
    case 'submitterHead':
      return { kind, levels: 1 };
    case 'memberField':
      return { kind, field: '' };
    case 'submitter':
      return { kind };
  }
}

interface Props {
  value: AssigneeRule[];
  onChange(next: AssigneeRule[]): void;
  ctx: DesignContext;
  /** The settings pointer of the list (`/assignees`, `/deadline/escalateTo`), for problems. */
  pointer: string;
  label: string;
}

/** 处理人: a list of rules (members, roles, departments, the submitter's head n levels up, a member field, the submitter). */
export function AssigneeEditor({ value, onChange, ctx, pointer, label }: Props) {
  const { t } = useTranslation();
  const replace = (i: number, rule: AssigneeRule) => onChange(value.map((r, j) => (j === i ? rule : r)));
  return (
    <fieldset className="wf-fieldset">
      <legend>{label}</legend>
      <Flex vertical gap={8}>
        {value.map((rule, i) => (
          <RuleRow
            key={i}
            rule={rule}
            index={i}
            ctx={ctx}
            onChange={(r) => replace(i, r)}
            onRemove={value.length > 1 ? () => onChange(value.filter((_, j) => j !== i)) : undefined}
            problems={ctx.problemsAt(`${pointer}/${i}`)}
          />
        ))}
        <ProblemText messages={ctx.problemsAt(pointer).filter((m) => !value.some((_, i) => ctx.problemsAt(`${pointer}/${i}`).includes(m)))} />
        {!ctx.readOnly && value.length < 20 && (
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => onChange([...value, newRule('members')])} style={{ alignSelf: 'flex-start' }}>
            {t('workflows.assignees.add')}
          </Button>
        )}
      </Flex>
    </fieldset>
  );
}

function RuleRow(props: { rule: AssigneeRule; index: number; ctx: DesignContext; onChange(r: AssigneeRule): void; onRemove?: () => void; problems: string[] }) {
  const { rule, index, ctx, onChange, onRemove, problems } = props;
  const { t } = useTranslation();
  const id = useId();
  return (
    <Flex vertical gap={4} className="wf-rule">
      <Flex gap={8} align="center">
        <Select
          id={`${id}-kind`}
          aria-label={t('workflows.assignees.kindOf', { n: index + 1 })}
          value={rule.kind}
          disabled={ctx.readOnly}
          onChange={(kind: AssigneeRule['kind']) => onChange(newRule(kind))}
          options={KINDS.map((k) => ({ value: k, label: t(`workflows.assignees.kinds.${k}`) }))}
          style={{ flex: 1, minWidth: 0 }}
        />
        {onRemove && !ctx.readOnly && (
          <Button type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('workflows.assignees.remove', { n: index + 1 })} onClick={onRemove} />
        )}
      </Flex>
      <RuleValue rule={rule} ctx={ctx} onChange={onChange} index={index} />
      <ProblemText messages={problems} />
    </Flex>
  );
}

function RuleValue({ rule, ctx, onChange, index }: { rule: AssigneeRule; ctx: DesignContext; onChange(r: AssigneeRule): void; index: number }) {
  const { t } = useTranslation();
  const disabled = ctx.readOnly;
  const n = index + 1;
  switch (rule.kind) {
    case 'members':
    case 'roles':
    case 'departments': {
      const list = rule.kind === 'members' ? ctx.directory.members : rule.kind === 'roles' ? ctx.directory.roles : ctx.directory.departments;
      return (
        <>
          <Select
            mode="multiple"
            aria-label={t(`workflows.assignees.pick.${rule.kind}`, { n })}
            placeholder={t(`workflows.assignees.pick.${rule.kind}`, { n })}
            value={rule.ids}
            disabled={disabled}
            optionFilterProp="label"
            onChange={(ids: string[]) => onChange({ ...rule, ids })}
            options={list.map((x) => ({ value: x.id, label: x.name }))}
          />
          {rule.kind === 'departments' && (
            <Checkbox checked={rule.includeChildren ?? false} disabled={disabled} onChange={(e) => onChange({ ...rule, includeChildren: e.target.checked })}>
              {t('workflows.assignees.includeChildren')}
            </Checkbox>
          )}
        </>
      );
    }
    case 'submitterHead':
      return (
        <Flex gap={8} align="center">
          <InputNumber
            controls={false}
            aria-label={t('workflows.assignees.levels', { n })}
            min={1}
            max={10}
            precision={0}
            value={rule.levels}
            disabled={disabled}
            onChange={(levels) => onChange({ ...rule, levels: levels ?? 1 })}
          />
          <Typography.Text type="secondary">{t('workflows.assignees.levelsHelp')}</Typography.Text>
        </Flex>
      );
    case 'memberField':
      return (
        <Select
          aria-label={t('workflows.assignees.pick.memberField', { n })}
          placeholder={t('workflows.assignees.pick.memberField', { n })}
          value={rule.field || undefined}
          disabled={disabled}
          onChange={(field: string) => onChange({ ...rule, field })}
          options={ctx.fields.filter((f) => f.type === 'member').map((f) => ({ value: f.key, label: f.label }))}
          notFoundContent={t('workflows.assignees.noMemberField')}
        />
      );
    case 'submitter':
      return null;
  }
}
