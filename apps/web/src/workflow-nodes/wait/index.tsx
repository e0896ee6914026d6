import { ClockCircleOutlined } from '@ant-design/icons';
import type { Duration, WaitSettings } from '@crm/workflow';
import { Checkbox, Flex, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps, NodeTypeUi } from '../node-type-ui';
import { LabeledControl } from '../shared/LabeledControl';

function DurationInput({ value, onChange, disabled, label }: { value: Duration; onChange(d: Duration): void; disabled: boolean; label: string }) {
  const { t } = useTranslation();
  return (
    <Flex gap={8}>
      <InputNumber
        controls={false}
        aria-label={label}
        min={1}
        max={100000}
        precision={0}
        value={value.amount}
        disabled={disabled}
        onChange={(amount) => onChange({ ...value, amount: amount ?? 1 })}
      />
      <Select
        aria-label={t('workflows.deadline.unit')}
        value={value.unit}
        disabled={disabled}
        style={{ width: 110 }}
        onChange={(unit: Duration['unit']) => onChange({ ...value, unit })}
        options={(['minutes', 'hours', 'days'] as const).map((u) => ({ value: u, label: t(`workflows.units.${u}`) }))}
      />
    </Flex>
  );
}

/** 等待: a duration, or until the date in a field (optionally shifted). */
function WaitPanel({ settings, onSettings, ctx }: NodePanelProps<WaitSettings>) {
  const { t } = useTranslation();
  const disabled = ctx.readOnly;
  const dateFields = ctx.fields.filter((f) => f.type === 'date' || f.type === 'datetime');
  return (
    <Flex vertical gap={4}>
      <LabeledControl label={t('workflows.wait.mode')}>
        {(id) => (
          <Select
            id={id}
            value={settings.mode}
            disabled={disabled}
            onChange={(mode: WaitSettings['mode']) =>
              onSettings(mode === 'duration' ? { mode, duration: { amount: 1, unit: 'days' } } : { mode, field: dateFields[0]?.key ?? '' })
            }
            options={(['duration', 'untilField'] as const).map((m) => ({ value: m, label: t(`workflows.wait.modes.${m}`) }))}
          />
        )}
      </LabeledControl>
      {settings.mode === 'duration' ? (
        <DurationInput
          label={t('workflows.wait.duration')}
          value={settings.duration}
          disabled={disabled}
          onChange={(duration) => onSettings({ ...settings, duration })}
        />
      ) : (
        <>
          <LabeledControl label={t('workflows.wait.field')} problems={ctx.problemsAt('/field')}>
            {(id) => (
              <Select
                id={id}
                value={settings.field || undefined}
                disabled={disabled}
                onChange={(field: string) => onSettings({ ...settings, field })}
                options={dateFields.map((f) => ({ value: f.key, label: f.label }))}
              />
            )}
          </LabeledControl>
          <Checkbox
            checked={Boolean(settings.offset)}
            disabled={disabled}
            onChange={(e) => {
              const next = { ...settings, offset: e.target.checked ? { amount: 1, unit: 'days' as const } : undefined };
              if (!next.offset) delete next.offset;
              onSettings(next);
            }}
          >
            {t('workflows.wait.shift')}
          </Checkbox>
          {settings.offset && (
            <Flex gap={8} wrap align="center">
              <DurationInput
                label={t('workflows.wait.offset')}
                value={settings.offset}
                disabled={disabled}
                onChange={(d) => onSettings({ ...settings, offset: { ...settings.offset, ...d } })}
              />
              <Checkbox
                checked={settings.offset.before ?? false}
                disabled={disabled}
                onChange={(e) => onSettings({ ...settings, offset: { ...settings.offset!, before: e.target.checked } })}
              >
                {t('workflows.wait.before')}
              </Checkbox>
            </Flex>
          )}
        </>
      )}
    </Flex>
  );
}

export const waitUi: NodeTypeUi = { icon: ClockCircleOutlined, Panel: WaitPanel };
