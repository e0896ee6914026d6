import type { WorkflowGraph } from '@crm/workflow';
import { Button, Drawer, Flex, List, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { WorkflowDetail } from '../api/workflows.api';
import { useWorkflowVersion } from '../hooks/useWorkflowDesign';
import { StatusMark } from './StatusMark';

/** The versions, newest first: open one read-only, or copy its graph into the editor (a new draft when saved). */
export function VersionsDrawer({
  open,
  onClose,
  workflow,
  onCopy,
}: {
  open: boolean;
  onClose(): void;
  workflow: WorkflowDetail;
  onCopy(graph: WorkflowGraph): void;
}) {
  const { t, i18n } = useTranslation();
  const [copying, setCopying] = useState<number | null>(null);
  const version = useWorkflowVersion({ workflowId: workflow.id, version: copying });
  useEffect(() => {
    if (copying === null || !version.data) return;
    onCopy(version.data.graph);
    setCopying(null);
  }, [copying, version.data, onCopy]);
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '');
  return (
    <Drawer open={open} onClose={onClose} title={t('workflows.versions.title')} size={420}>
      <List
        dataSource={workflow.versions}
        locale={{ emptyText: t('workflows.versions.none') }}
        renderItem={(v) => (
          <List.Item
            actions={[
              <Link key="view" to={`versions/${v.version}`} aria-label={t('workflows.versions.viewOf', { version: v.version })}>
                {t('workflows.versions.view')}
              </Link>,
              v.status !== 'draft' && (
                <Button
                  key="copy"
                  size="small"
                  loading={copying === v.version}
                  onClick={() => setCopying(v.version)}
                  aria-label={t('workflows.versions.copyOf', { version: v.version })}
                >
                  {t('workflows.versions.copy')}
                </Button>
              ),
            ].filter(Boolean)}
          >
            <Flex vertical>
              <Flex gap={8} align="center">
                <Typography.Text strong>{t('workflows.versions.number', { version: v.version })}</Typography.Text>
                <StatusMark status={v.status} />
                {v.problemCount > 0 && <Tag color="error">{t('workflows.problems.count', { count: v.problemCount })}</Tag>}
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {v.publishedAt
                  ? t('workflows.versions.publishedAt', { at: date(v.publishedAt) })
                  : t('workflows.versions.updatedAt', { at: date(v.updatedAt) })}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Drawer>
  );
}
