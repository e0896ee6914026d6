import { NODE_TYPE_KEYS, NODE_TYPES, type NodeTypeKey } from '@crm/workflow';
import { Button, Flex, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { NODE_TYPE_UI } from '../../../workflow-nodes/registry';
import { localeOf } from '../../../workflow-nodes/shared/node-title';
import { PALETTE_MIME } from './DesignerCanvas';

const GROUPS = ['human', 'flow', 'automatic'] as const;
/** One start per workflow: it is never added from the palette. */
const OFFERED = NODE_TYPE_KEYS.filter((k) => k !== 'start');

/**
 * The node types, by group. Drag one onto the canvas to place it, or press it to add it after
 * the selected node (or onto the selected connection) — the keyboard way.
 */
export function Palette({ onAdd, hint }: { onAdd(type: NodeTypeKey): void; hint: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  return (
    <nav aria-label={t('workflows.palette.label')} className="wf-palette">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {hint}
      </Typography.Paragraph>
      {GROUPS.map((group) => (
        <section key={group} aria-labelledby={`wf-palette-${group}`} style={{ marginBottom: 12 }}>
          <Typography.Text strong id={`wf-palette-${group}`} style={{ display: 'block', marginBottom: 4 }}>
            {t(`workflows.palette.groups.${group}`)}
          </Typography.Text>
          <Flex vertical gap={4} className="wf-palette-group">
            {OFFERED.filter((k) => NODE_TYPES[k].category === group).map((key) => {
              const Icon = NODE_TYPE_UI[key].icon;
              const def = NODE_TYPES[key];
              return (
                <Tooltip key={key} title={def.description[locale]} placement="right">
                  <Button
                    className="wf-palette-item"
                    block
                    draggable
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_MIME, key);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => onAdd(key)}
                    icon={<Icon style={{ color: def.designer.color }} aria-hidden />}
                    style={{ justifyContent: 'flex-start' }}
                  >
                    {def.label[locale]}
                  </Button>
                </Tooltip>
              );
            })}
          </Flex>
        </section>
      ))}
    </nav>
  );
}
