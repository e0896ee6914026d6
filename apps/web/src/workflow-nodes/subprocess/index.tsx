import { PartitionOutlined } from '@ant-design/icons';
import type { SubprocessSettings } from '@crm/workflow';
import { Flex, Input, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps, NodeTypeUi } from '../node-type-ui';
import { LabeledControl } from '../shared/LabeledControl';

/** 子流程: a workflow started on the record(s) of a relation field, optionally awaited. */
function SubprocessPanel({ settings, onSettings, ctx }: NodePanelProps<SubprocessSettings>) {
  const { t } = useTranslation();
  const disabled = ctx.readOnly;
  return (
    <Flex vertical gap={4}>
      <LabeledControl label={t('workflows.subprocess.workflow')} help={t('workflows.subprocess.workflowHelp')} problems={ctx.problemsAt('/workflowId')}>
        {(id) => <Input id={id} value={settings.workflowId} disabled={disabled} onChange={(e) => onSettings({ ...settings, workflowId: e.target.value })} />}
      </LabeledControl>
      <LabeledControl label={t('workflows.subprocess.relationField')} problems={ctx.problemsAt('/relationField')}>
        {(id) => (
          <Select
            id={id}
            value={settings.relationField || undefined}
            disabled={disabled}
            onChange={(relationField: string) => onSettings({ ...settings, relationField })}
            options={ctx.fields.filter((f) => f.type === 'relation').map((f) => ({ value: f.key, label: f.label }))}
          />
        )}
      </LabeledControl>
      <Flex gap={8} align="center">
        <Switch
          aria-label={t('workflows.subprocess.wait')}
          checked={settings.wait}
          disabled={disabled}
          onChange={(wait) => onSettings({ ...settings, wait })}
        />
        <Typography.Text>{t('workflows.subprocess.wait')}</Typography.Text>
      </Flex>
    </Flex>
  );
}

export const subprocessUi: NodeTypeUi = { icon: PartitionOutlined, Panel: SubprocessPanel };
