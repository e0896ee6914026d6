import type { WorkflowGraph } from '@crm/workflow';
import { ReactFlowProvider } from '@xyflow/react';
import { useParams } from 'react-router';
import { useEntity } from '../../apps/hooks/apps.queries';
import { ErrorState, LoadingState } from '../../../ui/states';
import { useWorkflow, useWorkflowVersion } from '../hooks/useWorkflowDesign';
import { starterGraph } from '../model/graph-edit';
import { layoutGraph, needsLayout } from '../model/layout';
import { DesignerWorkspace } from './DesignerWorkspace';
import './designer.css';

/** Route /apps/:appId/entities/:entityId/workflows/:workflowId: the workflow designer (its own lazy chunk). */
export function WorkflowDesignerPage() {
  const { entityId = '', workflowId = '' } = useParams();
  const entity = useEntity(entityId);
  const workflow = useWorkflow(workflowId);
  const draft = workflow.data?.draft ?? null;
  // Without a draft the designer starts from the published version (saving makes the next draft).
  const published = useWorkflowVersion({ workflowId, version: draft ? null : (workflow.data?.publishedVersion ?? null) });

  const failed = entity.error ?? workflow.error ?? published.error;
  if (failed)
    return (
      <ErrorState
        error={failed}
        onRetry={() => {
          void entity.refetch();
          void workflow.refetch();
        }}
      />
    );
  if (!entity.data || !workflow.data || (!draft && workflow.data.publishedVersion !== null && !published.data)) return <LoadingState />;

  const base: WorkflowGraph = draft?.graph ?? published.data?.graph ?? starterGraph();
  const initial = needsLayout(base) ? layoutGraph(base) : base;
  return (
    <ReactFlowProvider>
      <DesignerWorkspace
        key={`${workflow.data.id}:${draft ? 'draft' : `v${workflow.data.publishedVersion}`}`}
        workflow={workflow.data}
        entity={entity.data}
        initial={initial}
        initialProblems={draft ? { graph: JSON.stringify(draft.graph), problems: draft.problems } : null}
      />
    </ReactFlowProvider>
  );
}
