import { AuditOutlined } from '@ant-design/icons';
import type { NodeTypeUi } from '../node-type-ui';
import { TaskSettingsPanel } from '../shared/TaskSettingsPanel';

export const approvalUi: NodeTypeUi = { icon: AuditOutlined, Panel: TaskSettingsPanel };
