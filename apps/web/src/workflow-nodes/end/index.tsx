import { StopOutlined } from '@ant-design/icons';
import type { EndSettings } from '@crm/workflow';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps, NodeTypeUi } from '../node-type-ui';
import { LabeledControl } from '../shared/LabeledControl';

function EndPanel({ settings, onSettings, ctx }: NodePanelProps<EndSettings>) {
  const { t } = useTranslation();
  return (
    <LabeledControl label={t('workflows.end.outcome')} problems={ctx.problemsAt('/outcome')}>
      {(id) => (
        <Select
          id={id}
          value={settings.outcome}
          disabled={ctx.readOnly}
          onChange={(outcome: EndSettings['outcome']) => onSettings({ outcome })}
          options={(['approved', 'rejected'] as const).map((o) => ({ value: o, label: t(`workflows.end.${o}`) }))}
        />
      )}
    </LabeledControl>
  );
}

export const endUi: NodeTypeUi = { icon: StopOutlined, Panel: EndPanel };
