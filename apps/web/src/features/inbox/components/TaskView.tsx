import { App as AntdApp, Alert, Button, Card, Flex, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { useDirectory } from '../../../api/directory.queries';
import { problemText } from '../../../ui/problem';
import { ErrorState, LoadingState } from '../../../ui/states';
import { nodeTitle } from '../../../workflow-nodes/shared/node-title';
import type { DecisionBody, TaskAction } from '../api/inbox.api';
import { useComment, useDecideTask, useEditTaskRecord, useInstance, useInstanceAction, useTask } from '../hooks/inbox.queries';
import { InstanceFlow } from './InstanceFlow';
import { RecordFields } from './RecordFields';
import { TaskActions } from './TaskActions';
import { InstanceTimeline } from './Timeline';

/**
 * One task: the record with the node's editable fields unlocked, the decision buttons, comments
 * and the timeline. A component of its own so the record page can show it beside the record:
 * `embedded` leaves out the record (the page shows it) unless the task unlocks fields to edit.
 */
export function TaskView({ taskId, onDone, embedded = false }: { taskId: string; onDone?: () => void; embedded?: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = AntdApp.useApp();
  const detail = useTask(taskId);
  const instance = useInstance(detail.data?.instance.id);
  const directory = useDirectory();
  const decide = useDecideTask();
  const act = useInstanceAction();
  const edit = useEditTaskRecord();
  const comment = useComment();
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const memberName = useMemo(() => {
    const names = new Map(directory.members.map((m) => [m.id, m.name]));
    return (id: string | null) => (id ? (names.get(id) ?? id) : t('inbox.system'));
  }, [directory.members, t]);

  if (detail.error) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  if (!detail.data) return <LoadingState />;
  const d = detail.data;
  // The entity as the task shows it (the assignee may have no right to read the entity itself).
  const entity = d.entity;
  const graph = instance.data?.graph;
  const nodeName = (id: string | null) => (id ? nodeTitle(graph?.nodes.find((n) => n.id === id) ?? { type: 'approval', name: id }, i18n.language) : '');
  const pending = d.task.status === 'pending';
  const dirty = Object.keys(draft).length > 0;

  const failed = (error: unknown) => {
    if (error instanceof ApiError && error.errors.length) {
      const byField: Record<string, string> = {};
      for (const e of error.errors) byField[e.path.replace(/^\//, '').split('/')[0]] = e.message;
      setFieldErrors(byField);
    }
    message.error(problemText(error, t));
  };

  async function saveFields(): Promise<boolean> {
    if (!dirty) return true;
    try {
      await edit.mutateAsync({ taskId, version: d.record?.version as number | undefined, values: draft });
      setDraft({});
      setFieldErrors({});
      return true;
    } catch (error) {
      failed(error);
      return false;
    }
  }

  async function onDecide(action: TaskAction, body: DecisionBody) {
    if ((action === 'approve' || action === 'complete') && !(await saveFields())) return;
    try {
      await decide.mutateAsync({ taskId, action, body });
      message.success(t(`inbox.done.${action}`));
      onDone?.();
    } catch (error) {
      failed(error);
    }
  }

  const resubmit =
    d.task.kind === 'resubmit' && pending
      ? [
          {
            key: 'resubmit',
            label: t('inbox.actions.resubmit'),
            primary: true,
            onClick: async (text: string) => {
              if (!(await saveFields())) return;
              act.mutate(
                { instanceId: d.instance.id, action: 'resubmit', body: text ? { comment: text } : {} },
                { onSuccess: () => (message.success(t('inbox.done.resubmit')), onDone?.()), onError: failed },
              );
            },
          },
        ]
      : [];

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={12} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {d.node?.name || nodeName(d.task.nodeId)}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t('inbox.task.meta', {
            submitter: memberName(d.task.submitterId),
            entity: entity.name,
            record: d.task.recordId,
            at: new Date(d.instance.startedAt).toLocaleString(i18n.language),
          })}
        </Typography.Text>
      </Flex>
      {!pending && (
        <Alert type="info" showIcon title={t('inbox.task.decided', { status: t(`inbox.status.${d.task.status}`, { defaultValue: d.task.status }) })} />
      )}
      {(!embedded || (pending && d.editable.length > 0)) && (
        <Card size="small" title={t('inbox.task.record', { entity: entity.name })}>
          <RecordFields
            fields={entity.fields}
            values={d.record ?? {}}
            permissions={d.fields}
            editable={pending ? d.editable : []}
            draft={draft}
            errors={fieldErrors}
            onDraft={(key, value) => setDraft((x) => ({ ...x, [key]: value }))}
          />
          {pending && dirty && (
            <Space style={{ marginTop: 12 }}>
              <Button loading={edit.isPending} onClick={() => void saveFields().then((ok) => ok && message.success(t('inbox.task.fieldsSaved')))}>
                {t('inbox.task.saveFields')}
              </Button>
            </Space>
          )}
        </Card>
      )}
      {pending && (
        <Card size="small" title={t('inbox.task.decide')}>
          <TaskActions
            actions={d.actions}
            returnTargets={d.returnTargets.map((id) => ({ id, name: nodeName(id) }))}
            members={directory.members}
            busy={decide.isPending || act.isPending}
            onDecide={(a, b) => void onDecide(a, b)}
            onComment={(text) =>
              comment.mutate({ instanceId: d.instance.id, comment: text }, { onSuccess: () => message.success(t('inbox.task.commented')), onError: failed })
            }
            extra={resubmit}
          />
        </Card>
      )}
      <Card size="small" title={t('inbox.timeline.title')}>
        <InstanceTimeline
          entries={instance.data?.timeline ?? d.timeline}
          comments={instance.data?.comments}
          memberName={memberName}
          nodeName={nodeName}
          nodeType={(id) => graph?.nodes.find((n) => n.id === id)?.type}
        />
      </Card>
      {instance.data && <InstanceFlow instance={instance.data} fields={entity.fields} />}
    </Flex>
  );
}
