import { PlayCircleOutlined } from '@ant-design/icons';
import type { StartSettings } from '@crm/workflow';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps, NodeTypeUi } from '../node-type-ui';
import { FieldPermissionTable } from '../shared/FieldPermissionTable';

function StartPanel({ settings, onSettings, ctx }: NodePanelProps<StartSettings>) {
  const { t } = useTranslation();
  return (
    <FieldPermissionTable
      caption={t('workflows.start.fields')}
      value={settings.fields ?? {}}
      onChange={(fields) => onSettings({ ...settings, fields })}
      ctx={ctx}
    />
  );
}

export const startUi: NodeTypeUi = { icon: PlayCircleOutlined, Panel: StartPanel };
