import { SendOutlined } from '@ant-design/icons';
import type { CcSettings } from '@crm/workflow';
import { Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps, NodeTypeUi } from '../node-type-ui';
import { AssigneeEditor } from '../shared/AssigneeEditor';
import { FieldPermissionTable } from '../shared/FieldPermissionTable';

function CcPanel({ settings, onSettings, ctx }: NodePanelProps<CcSettings>) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8}>
      <AssigneeEditor
        label={t('workflows.cc.to')}
        value={settings.assignees ?? []}
        onChange={(assignees) => onSettings({ ...settings, assignees })}
        ctx={ctx}
        pointer="/assignees"
      />
      <FieldPermissionTable
        caption={t('workflows.cc.fields')}
        options={['hidden', 'visible']}
        value={settings.fields ?? {}}
        onChange={(fields) => onSettings({ ...settings, fields })}
        ctx={ctx}
      />
    </Flex>
  );
}

export const ccUi: NodeTypeUi = { icon: SendOutlined, Panel: CcPanel };
