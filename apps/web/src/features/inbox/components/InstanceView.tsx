import { App as AntdApp, Card, Flex, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useDirectory } from '../../../api/directory.queries';
import { problemText } from '../../../ui/problem';
import { ErrorState, LoadingState } from '../../../ui/states';
import { nodeTitle } from '../../../workflow-nodes/shared/node-title';
import type { Entity } from '../../apps/api/apps.api';
import { useEntity } from '../../apps/hooks/apps.queries';
import { useRecord } from '../../runtime/hooks/records.queries';
import type { InstanceAction } from '../api/inbox.api';
import { useComment, useInstance, useInstanceAction } from '../hooks/inbox.queries';
import { useSignedInSession } from '../../auth/hooks/useSession';
import { InstanceFlow } from './InstanceFlow';
import { RecordFields } from './RecordFields';
import { TaskActions } from './TaskActions';
import { InstanceTimeline } from './Timeline';

/**
 * An instance I started or was copied on: the record, where it stands, the timeline; the
 * submitter may withdraw or urge. `embedded` (the record page) leaves out the record.
 */
export function InstanceView({ instanceId, embedded = false }: { instanceId: string; embedded?: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = AntdApp.useApp();
  const session = useSignedInSession();
  const instance = useInstance(instanceId);
  const directory = useDirectory();
  const act = useInstanceAction();
  const comment = useComment();
  const memberName = useMemo(() => {
    const names = new Map(directory.members.map((m) => [m.id, m.name]));
    return (id: string | null) => (id ? (names.get(id) ?? id) : t('inbox.system'));
  }, [directory.members, t]);
  if (instance.error) return <ErrorState error={instance.error} onRetry={() => void instance.refetch()} />;
  if (!instance.data) return <LoadingState />;
  const i = instance.data;
  const nodeName = (id: string | null) =>
    id
      ? nodeTitle(
          i.graph.nodes.find((n) => n.id === id),
          i18n.language,
        )
      : '';
  const mine = i.submitterId === String(session.user.id);
  const running = i.status === 'running';
  const run = (action: InstanceAction) => (text: string) =>
    act.mutate(
      { instanceId, action, body: text ? { comment: text } : {} },
      { onSuccess: () => message.success(t(`inbox.done.${action}`)), onError: (e) => message.error(problemText(e, t)) },
    );
  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={12} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('inbox.instance.title', { entity: i.entity.name, record: i.recordId })}
        </Typography.Title>
        <Tag>{t(`inbox.instanceStatus.${i.status}`, { defaultValue: i.status })}</Tag>
        {running && <Typography.Text type="secondary">{t('inbox.instance.at', { nodes: i.currentNodes.map(nodeName).join(', ') })}</Typography.Text>}
      </Flex>
      {!embedded && (
        <Card size="small" title={t('inbox.task.record', { entity: i.entity.name })}>
          <InstanceRecord entityId={i.entityId} recordId={i.recordId} />
        </Card>
      )}
      <Card size="small" title={t('inbox.instance.act')}>
        <TaskActions
          actions={[]}
          returnTargets={[]}
          members={directory.members}
          busy={act.isPending || comment.isPending}
          onDecide={() => undefined}
          onComment={(text) => comment.mutate({ instanceId, comment: text }, { onError: (e) => message.error(problemText(e, t)) })}
          extra={
            mine && running
              ? [
                  { key: 'urge', label: t('inbox.actions.urge'), onClick: run('urge') },
                  { key: 'withdraw', label: t('inbox.actions.withdraw'), danger: true, onClick: run('withdraw') },
                ]
              : []
          }
        />
      </Card>
      <Card size="small" title={t('inbox.timeline.title')}>
        <InstanceTimeline
          entries={i.timeline}
          comments={i.comments}
          memberName={memberName}
          nodeName={nodeName}
          nodeType={(id) => i.graph.nodes.find((n) => n.id === id)?.type}
        />
      </Card>
      <InstanceFlow instance={i} fields={i.entity.fields} />
    </Flex>
  );
}

/** The record as its entity's read rights show it (someone only involved in the workflow may not read it: the error stays in this card). */
function InstanceRecord({ entityId, recordId }: { entityId: string; recordId: number }) {
  const entity = useEntity(entityId);
  if (entity.error) return <ErrorState error={entity.error} />;
  if (!entity.data) return <LoadingState />;
  return <InstanceRecordOf entity={entity.data} recordId={recordId} />;
}

function InstanceRecordOf({ entity, recordId }: { entity: Entity; recordId: number }) {
  const record = useRecord({ entity, recordId: String(recordId) });
  if (record.error) return <ErrorState error={record.error} />;
  if (!record.data) return <LoadingState />;
  return (
    <RecordFields fields={entity.fields} values={record.data as Record<string, unknown>} permissions={{}} editable={[]} draft={{}} onDraft={() => undefined} />
  );
}
