import { ApartmentOutlined, CloudUploadOutlined, HistoryOutlined, SaveOutlined } from '@ant-design/icons';
import type { WorkflowGraph } from '@crm/workflow';
import { Badge, Button, Flex, Tag, Typography } from 'antd';
import { StatusMark } from './StatusMark';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkflowDetail } from '../api/workflows.api';
import { VersionsDrawer } from './VersionsDrawer';

interface Props {
  workflow: WorkflowDetail;
  entityName: string;
  dirty: boolean;
  problemCount: number;
  saving: boolean;
  publishing: boolean;
  onLayout(): void;
  onSave(): void;
  onPublish(): void;
  onCopyVersion(graph: WorkflowGraph): void;
}

/** Title, state and the designer's commands: layout, save the draft, publish, versions. */
export function DesignerToolbar(props: Props) {
  const { workflow, dirty, problemCount } = props;
  const { t } = useTranslation();
  const [versionsOpen, setVersionsOpen] = useState(false);
  const state = workflow.draft
    ? { status: 'draft' as const, text: t('workflows.status.draftOf', { version: workflow.draft.version }) }
    : { status: 'published' as const, text: t('workflows.status.publishedOf', { version: workflow.publishedVersion }) };
  return (
    <Flex align="center" gap={12} wrap style={{ marginBottom: 12 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {workflow.name || t('workflows.designer.title', { entity: props.entityName })}
      </Typography.Title>
      <StatusMark status={state.status} text={state.text} />
      {dirty && <Tag>{t('workflows.designer.unsaved')}</Tag>}
      <Flex gap={8} wrap style={{ marginLeft: 'auto' }}>
        <Button icon={<ApartmentOutlined aria-hidden />} onClick={props.onLayout}>
          {t('workflows.designer.layout')}
        </Button>
        <Button icon={<HistoryOutlined aria-hidden />} onClick={() => setVersionsOpen(true)}>
          {t('workflows.designer.versions')}
        </Button>
        <Button icon={<SaveOutlined aria-hidden />} loading={props.saving} onClick={props.onSave}>
          {t('workflows.designer.save')}
        </Button>
        <Badge count={problemCount} title={t('workflows.problems.count', { count: problemCount })}>
          <Button type="primary" icon={<CloudUploadOutlined aria-hidden />} loading={props.publishing} onClick={props.onPublish}>
            {t('workflows.designer.publish')}
          </Button>
        </Badge>
      </Flex>
      <VersionsDrawer
        open={versionsOpen}
        onClose={() => setVersionsOpen(false)}
        workflow={workflow}
        onCopy={(graph) => {
          props.onCopyVersion(graph);
          setVersionsOpen(false);
        }}
      />
    </Flex>
  );
}
