import { EditOutlined } from '@ant-design/icons';
import type { NodeTypeUi } from '../node-type-ui';
import { TaskSettingsPanel } from '../shared/TaskSettingsPanel';

export const fillUi: NodeTypeUi = { icon: EditOutlined, Panel: TaskSettingsPanel };
