import { ForkOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NodePanelProps, NodeTypeUi } from '../node-type-ui';
import { nodeTitle } from '../shared/node-title';

/** 并行分支: nothing to set; says how many paths run and which join waits for them. */
function ParallelPanel({ node, ctx }: NodePanelProps) {
  const { t, i18n } = useTranslation();
  const paths = ctx.graph.edges.filter((e) => e.from === node.id).length;
  const join = ctx.graph.nodes.find((n) => n.type === 'join' && (n.settings as { split?: string } | undefined)?.split === node.id);
  return (
    <Typography.Paragraph type="secondary">
      {t('workflows.parallel.help', { count: paths, join: join ? nodeTitle(join, i18n.language) : t('workflows.parallel.noJoin') })}
    </Typography.Paragraph>
  );
}

export const parallelUi: NodeTypeUi = { icon: ForkOutlined, Panel: ParallelPanel };
