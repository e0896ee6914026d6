import { Empty, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { InstanceView } from '../../../inbox/components/InstanceView';
import { TaskView } from '../../../inbox/components/TaskView';
import { LoadingState } from '../../../../ui/states';
import { useRecordWorkflow } from '../../hooks/record-page.queries';
import { useTask } from '../../../inbox/hooks/inbox.queries';

/**
 * The record's workflow as it concerns the member: their open task on it (decide, with the
 * timeline), and the instances they started (withdraw, urge) or were copied on.
 */
export function RecordWorkflow({ entityId, recordId }: { entityId: string; recordId: string }) {
  const { t } = useTranslation();
  const wf = useRecordWorkflow(entityId, recordId);
  const task = useTask(wf.taskId ?? undefined);
  if (wf.isPending) return <LoadingState />;
  const others = wf.instanceIds.filter((id) => id !== task.data?.instance.id);
  if (!wf.taskId && !others.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recordPage.workflow.none')} />;
  return (
    <Flex vertical gap={24}>
      {wf.taskId && <TaskView taskId={wf.taskId} embedded />}
      {others.map((id) => (
        <InstanceView key={id} instanceId={id} embedded />
      ))}
    </Flex>
  );
}
