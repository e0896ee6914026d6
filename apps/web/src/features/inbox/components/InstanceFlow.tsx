import type { FieldDefinition } from '@crm/schema';
import { Button, Card } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadingState } from '../../../ui/states';
import type { WorkflowInstance } from '../api/inbox.api';

// React Flow and the designer load only when someone asks to see the flow.
const WorkflowGraphView = lazy(async () => ({ default: (await import('../../workflow-designer/area')).WorkflowGraphView }));

/** The graph of the version the instance runs on, with its path taken highlighted (on demand). */
export function InstanceFlow({ instance, fields }: { instance: WorkflowInstance; fields: readonly FieldDefinition[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Card size="small" title={t('inbox.flow.title', { version: instance.version })}>
      {open ? (
        <Suspense fallback={<LoadingState />}>
          <WorkflowGraphView graph={instance.graph} fields={fields} path={instance.path} active={instance.currentNodes} />
        </Suspense>
      ) : (
        <Button onClick={() => setOpen(true)}>{t('inbox.flow.show')}</Button>
      )}
    </Card>
  );
}
