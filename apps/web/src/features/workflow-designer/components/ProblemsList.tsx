import { Alert, Button, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { nodeTitle } from '../../../workflow-nodes/shared/node-title';
import type { WorkflowGraph } from '@crm/workflow';
import { problemMessage, type DesignProblem } from '../model/validation';
import type { Selection } from './DesignerCanvas';

/** Every problem of the graph; choosing one selects its node or connection. */
export function ProblemsList({
  problems,
  graph,
  source,
  onSelect,
}: {
  problems: DesignProblem[];
  graph: WorkflowGraph;
  source: 'local' | 'server';
  onSelect(s: Selection): void;
}) {
  const { t, i18n } = useTranslation();
  if (problems.length === 0)
    return <Alert type="success" showIcon title={source === 'server' ? t('workflows.problems.noneServer') : t('workflows.problems.none')} />;
  return (
    <List
      size="small"
      header={
        <Typography.Text strong>
          {t(source === 'server' ? 'workflows.problems.titleServer' : 'workflows.problems.title', { count: problems.length })}
        </Typography.Text>
      }
      dataSource={problems}
      renderItem={(p) => {
        const target: Selection = p.edgeId ? { kind: 'edge', id: p.edgeId } : p.nodeId ? { kind: 'node', id: p.nodeId } : null;
        const where = p.nodeId
          ? nodeTitle(
              graph.nodes.find((n) => n.id === p.nodeId),
              i18n.language,
            )
          : t('workflows.problems.graph');
        return (
          <List.Item>
            <Button
              type="link"
              disabled={!target}
              onClick={() => target && onSelect(target)}
              style={{ whiteSpace: 'normal', height: 'auto', textAlign: 'start', padding: 0 }}
            >
              <span>
                <Typography.Text type="danger" strong>
                  {where}
                </Typography.Text>
                {': '}
                <Typography.Text>{problemMessage(p, i18n.language)}</Typography.Text>
              </span>
            </Button>
          </List.Item>
        );
      }}
    />
  );
}
