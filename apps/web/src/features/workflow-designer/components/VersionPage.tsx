import { ArrowLeftOutlined } from '@ant-design/icons';
import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorState, LoadingState } from '../../../ui/states';
import { useEntity } from '../../apps/hooks/apps.queries';
import { useWorkflowVersion } from '../hooks/useWorkflowDesign';
import { layoutGraph, needsLayout } from '../model/layout';
import { StatusMark } from './StatusMark';
import { WorkflowGraphView } from './WorkflowGraphView';

/**
 * Route …/workflows/:workflowId/versions/:version: one version read only. `?path=a,b,c&active=c`
 * highlights the nodes an instance passed and where it waits (the inbox links here).
 */
export function WorkflowVersionPage() {
  const { t } = useTranslation();
  const { entityId = '', workflowId = '', version = '' } = useParams();
  const [search] = useSearchParams();
  const entity = useEntity(entityId);
  const v = useWorkflowVersion({ workflowId, version: Number(version) || null });
  const list = (key: string) => search.get(key)?.split(',').filter(Boolean);
  if (v.error) return <ErrorState error={v.error} onRetry={() => void v.refetch()} />;
  if (!v.data) return <LoadingState />;
  const graph = needsLayout(v.data.graph) ? layoutGraph(v.data.graph) : v.data.graph;
  return (
    <>
      <Flex align="center" gap={12} wrap style={{ marginBottom: 12 }}>
        <Link to="../.." relative="path">
          <ArrowLeftOutlined aria-hidden /> {t('workflows.view.back')}
        </Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('workflows.versions.number', { version: v.data.version })}
        </Typography.Title>
        <StatusMark status={v.data.status} />
        <Typography.Text type="secondary">{t('workflows.view.readOnly')}</Typography.Text>
      </Flex>
      <WorkflowGraphView graph={graph} fields={entity.data?.fields} path={list('path')} active={list('active')} />
    </>
  );
}
