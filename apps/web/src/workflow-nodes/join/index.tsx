import { MergeCellsOutlined } from '@ant-design/icons';
import { NODE_TYPES, type JoinSettings } from '@crm/workflow';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps, NodeTypeUi } from '../node-type-ui';
import { LabeledControl } from '../shared/LabeledControl';

function JoinPanel({ settings, onSettings, ctx }: NodePanelProps<JoinSettings>) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const splits = ctx.graph.nodes.filter((n) => n.type === 'parallel');
  return (
    <LabeledControl label={t('workflows.join.split')} help={t('workflows.join.help')} problems={ctx.problemsAt('/split')}>
      {(id) => (
        <Select
          id={id}
          value={settings.split || undefined}
          disabled={ctx.readOnly}
          onChange={(split: string) => onSettings({ split })}
          options={splits.map((n) => ({ value: n.id, label: n.name || `${NODE_TYPES.parallel.label[lang]} · ${n.id}` }))}
        />
      )}
    </LabeledControl>
  );
}

export const joinUi: NodeTypeUi = { icon: MergeCellsOutlined, Panel: JoinPanel };
