import { PlusOutlined, TableOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { useApp, useEntities } from '../../apps/hooks/apps.queries';
import { NewEntityModal } from '../../admin/components/NewEntityModal';

/** /apps/:appId: the app's entities as tiles (the sidebar holds the same, for moving on). */
export function AppHome() {
  const { t } = useTranslation();
  const { appId = '' } = useParams();
  const app = useApp(appId);
  const entities = useEntities(appId);
  const [creating, setCreating] = useState(false);

  if (app.isError) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;
  if (app.isPending || entities.isPending) return <LoadingState />;
  return (
    <section aria-labelledby="app-title">
      <Flex align="center" gap={12}>
        <Typography.Title level={1} id="app-title" style={{ fontSize: 20, marginTop: 0 }}>
          {app.data.name}
        </Typography.Title>
        {app.data.canDesign && (
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)} style={{ marginInlineStart: 'auto' }}>
            {t('designer.newEntity')}
          </Button>
        )}
      </Flex>
      <NewEntityModal appId={appId} open={creating} onClose={() => setCreating(false)} />
      {app.data.description && <Typography.Paragraph type="secondary">{app.data.description}</Typography.Paragraph>}
      {entities.isError && <ErrorState error={entities.error} onRetry={() => void entities.refetch()} />}
      {entities.data?.length === 0 && <EmptyState title={t('shell.noEntities')} description={t('apps.noEntitiesHint')} />}
      <Row gutter={[16, 16]}>
        {entities.data?.map((entity) => (
          <Col key={entity.id} xs={24} sm={12} md={8} xl={6}>
            <Link to={`/apps/${appId}/entities/${entity.id}`}>
              <Card size="small" hoverable>
                <TableOutlined aria-hidden style={{ marginInlineEnd: 8 }} />
                {entity.name}
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </section>
  );
}
