import { NODE_TYPES, type DeadlineSettings, type MultiAssigneeMode, type TaskNodeSettings } from '@crm/workflow';
import { Flex, InputNumber, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps } from '../node-type-ui';
import { AssigneeEditor, newRule } from './AssigneeEditor';
import { FieldPermissionTable } from './FieldPermissionTable';
import { LabeledControl } from './LabeledControl';

/** The modes a task node type offers, read from its settings schema (fill-in has no vote). */
function modesOf(type: 'approval' | 'fill'): MultiAssigneeMode[] {
  const schema = NODE_TYPES[type].settingsSchema as { properties: { mode: { enum: MultiAssigneeMode[] } } };
  return schema.properties.mode.enum;
}

/** The panel of approval (审批) and fill-in (填写) nodes: assignees, mode, fields, deadline, policies. */
export function TaskSettingsPanel({ node, settings, onSettings, ctx }: NodePanelProps<TaskNodeSettings>) {
  const { t } = useTranslation();
  const type = node.type === 'fill' ? 'fill' : 'approval';
  const set = <K extends keyof TaskNodeSettings>(key: K, value: TaskNodeSettings[K]) => onSettings({ ...settings, [key]: value });
  const disabled = ctx.readOnly;
  return (
    <Flex vertical gap={4}>
      <AssigneeEditor
        label={t('workflows.assignees.title')}
        value={settings.assignees ?? []}
        onChange={(v) => set('assignees', v)}
        ctx={ctx}
        pointer="/assignees"
      />
      <LabeledControl label={t('workflows.mode.label')} problems={ctx.problemsAt('/mode')}>
        {(id) => (
          <Select
            id={id}
            value={settings.mode}
            disabled={disabled}
            onChange={(mode: MultiAssigneeMode) => {
              const next: TaskNodeSettings = { ...settings, mode };
              if (mode === 'vote' && next.passRatio === undefined) next.passRatio = 0.5;
              if (mode !== 'vote') delete next.passRatio;
              onSettings(next);
            }}
            options={modesOf(type).map((m) => ({ value: m, label: t(`workflows.mode.${m}`) }))}
          />
        )}
      </LabeledControl>
      {settings.mode === 'vote' && (
        <LabeledControl label={t('workflows.mode.passRatio')} help={t('workflows.mode.passRatioHelp')} problems={ctx.problemsAt('/passRatio')}>
          {(id) => (
            <InputNumber
              controls={false}
              id={id}
              min={1}
              max={100}
              precision={0}
              suffix="%"
              disabled={disabled}
              value={Math.round((settings.passRatio ?? 0.5) * 100)}
              onChange={(v) => set('passRatio', (v ?? 50) / 100)}
            />
          )}
        </LabeledControl>
      )}
      <FieldPermissionTable caption={t('workflows.fields.title')} value={settings.fields ?? {}} onChange={(v) => set('fields', v)} ctx={ctx} />
      <DeadlineEditor value={settings.deadline} onChange={(d) => onSettings(withDeadline(settings, d))} ctx={ctx} />
      <PolicyControls settings={settings} set={set} disabled={disabled} type={type} />
    </Flex>
  );
}

function withDeadline(settings: TaskNodeSettings, deadline: DeadlineSettings | undefined): TaskNodeSettings {
  const next = { ...settings, deadline };
  if (!deadline) delete next.deadline;
  return next;
}

function DeadlineEditor({ value, onChange, ctx }: { value?: DeadlineSettings; onChange(d: DeadlineSettings | undefined): void; ctx: NodePanelProps['ctx'] }) {
  const { t } = useTranslation();
  const disabled = ctx.readOnly;
  return (
    <fieldset className="wf-fieldset">
      <legend>{t('workflows.deadline.title')}</legend>
      <Flex gap={8} align="center" style={{ marginBottom: 8 }}>
        <Switch
          aria-label={t('workflows.deadline.enabled')}
          checked={Boolean(value)}
          disabled={disabled}
          onChange={(on) => onChange(on ? { after: { amount: 1, unit: 'days' }, action: 'remind' } : undefined)}
        />
        <Typography.Text>{t('workflows.deadline.enabled')}</Typography.Text>
      </Flex>
      {value && (
        <>
          <Flex gap={8} wrap>
            <InputNumber
              controls={false}
              aria-label={t('workflows.deadline.amount')}
              min={1}
              max={100000}
              precision={0}
              value={value.after.amount}
              disabled={disabled}
              onChange={(amount) => onChange({ ...value, after: { ...value.after, amount: amount ?? 1 } })}
            />
            <Select
              aria-label={t('workflows.deadline.unit')}
              value={value.after.unit}
              disabled={disabled}
              style={{ width: 110 }}
              onChange={(unit: DeadlineSettings['after']['unit']) => onChange({ ...value, after: { ...value.after, unit } })}
              options={(['minutes', 'hours', 'days'] as const).map((u) => ({ value: u, label: t(`workflows.units.${u}`) }))}
            />
            <Select
              aria-label={t('workflows.deadline.action')}
              value={value.action}
              disabled={disabled}
              style={{ minWidth: 150, flex: 1 }}
              onChange={(action: DeadlineSettings['action']) => {
                const next: DeadlineSettings = { ...value, action };
                if (action === 'escalate') next.escalateTo = value.escalateTo ?? [newRule('members')];
                else delete next.escalateTo;
                onChange(next);
              }}
              options={(['remind', 'autoApprove', 'autoReject', 'autoReturn', 'escalate'] as const).map((a) => ({
                value: a,
                label: t(`workflows.deadline.actions.${a}`),
              }))}
            />
          </Flex>
          {value.action === 'escalate' && (
            <AssigneeEditor
              label={t('workflows.deadline.escalateTo')}
              value={value.escalateTo ?? []}
              onChange={(escalateTo) => onChange({ ...value, escalateTo })}
              ctx={ctx}
              pointer="/deadline/escalateTo"
            />
          )}
        </>
      )}
    </fieldset>
  );
}

function PolicyControls({
  settings,
  set,
  disabled,
  type,
}: {
  settings: TaskNodeSettings;
  set: <K extends keyof TaskNodeSettings>(k: K, v: TaskNodeSettings[K]) => void;
  disabled: boolean;
  type: 'approval' | 'fill';
}) {
  const { t } = useTranslation();
  const switches = (['allowReturn', 'allowTransfer', 'allowAddApprover', 'requireSignature'] as const).filter(
    (k) => type === 'approval' || k !== 'allowAddApprover',
  );
  return (
    <>
      <LabeledControl label={t('workflows.withdraw.label')}>
        {(id) => (
          <Select
            id={id}
            value={settings.withdraw}
            disabled={disabled}
            onChange={(v: TaskNodeSettings['withdraw']) => set('withdraw', v)}
            options={(['none', 'untilFirstDecision', 'anyNode'] as const).map((v) => ({ value: v, label: t(`workflows.withdraw.${v}`) }))}
          />
        )}
      </LabeledControl>
      <LabeledControl label={t('workflows.whenNobody.label')}>
        {(id) => (
          <Select
            id={id}
            value={settings.whenNobody}
            disabled={disabled}
            onChange={(v: TaskNodeSettings['whenNobody']) => set('whenNobody', v)}
            options={(['admins', 'autoApprove'] as const).map((v) => ({ value: v, label: t(`workflows.whenNobody.${v}`) }))}
          />
        )}
      </LabeledControl>
      <Flex vertical gap={8}>
        {switches.map((key) => (
          <Flex key={key} gap={8} align="center">
            <Switch aria-label={t(`workflows.policies.${key}`)} checked={settings[key]} disabled={disabled} onChange={(v) => set(key, v)} />
            <Typography.Text>{t(`workflows.policies.${key}`)}</Typography.Text>
          </Flex>
        ))}
      </Flex>
    </>
  );
}
